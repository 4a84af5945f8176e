import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as outbox from "../../app/routes/admin.outbox";
import * as account from "../../app/routes/account._index";
import * as queues from "../../app/routes/queues";
import { asSession, signInAs } from "../support/session";
import { call, get, post, startHarness, type WebHarness } from "../web/harness";

/** The outbox is for administrators only; the account page refuses a bad choice next to the field and saves a good one. */
let h: WebHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.stop();
});

describe("mail pages", () => {
  it("shows the outbox to administrators only", async () => {
    const officer = await signInAs(h.db.db, "ilo_officer", { countries: ["GH"] });
    const reporter = await signInAs(h.db.db, "viewer");
    expect((await call(outbox.loader, await asSession(get("/admin/outbox"), officer), {}, h.context)).status).toBe(403);
    expect((await call(outbox.loader, await asSession(get("/admin/outbox"), reporter), {}, h.context)).status).toBe(403);
    expect((await call(outbox.loader, get("/admin/outbox"), {}, h.context)).status).toBe(200);
  });

  it("saves the e-mail choice and refuses an unknown one with 422", async () => {
    const me = await signInAs(h.db.db, "ilo_officer", { countries: ["GH"] });
    const bad = await call(account.action, await asSession(post("/account", { emailMode: "hourly" }), me), {}, h.context);
    expect(bad.status).toBe(422);
    const good = await call(account.action, await asSession(post("/account", { emailMode: "weekly" }), me), {}, h.context);
    expect(good.status).toBe(200);
    const row = await h.db.db.selectFrom("users").select("email_mode").where("id", "=", me.userId).executeTakeFirstOrThrow();
    expect(row.email_mode).toBe("weekly");
  });

  it("gives a viewer no queue at all", async () => {
    const reporter = await signInAs(h.db.db, "viewer");
    const res = await call(queues.loader, await asSession(get("/queues"), reporter), {}, h.context);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { has: Record<string, boolean> };
    expect(body.has).toEqual({ signOff: false, verify: false, plans: false, returned: false });
  });
});
