import type { AppLoadContext, LoaderFunctionArgs } from "@remix-run/node";
import { requestState } from "../../app/platform/request-state.server";
import type { Kysely, KyselyPlugin } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../app/platform/config";
import { loader as root } from "../../app/root";
import { loader as analytics } from "../../app/routes/analytics";
import { loader as institution } from "../../app/routes/institutions.$id._index";
import { loader as institutionPlans } from "../../app/routes/institutions.$id.plans._index";
import { loader as institutions } from "../../app/routes/institutions._index";
import { loader as logframe } from "../../app/routes/logframe._index";
import { loader as notifications } from "../../app/routes/notifications";
import { loader as plans } from "../../app/routes/plans";
import { loader as portfolio } from "../../app/routes/portfolio";
import { loader as totals } from "../../app/routes/totals";
import { loader as verify } from "../../app/routes/verify";
import { getTemplate } from "../../db/queries/institutions";
import { seedDemoData } from "../../db/seed";
import type { Database } from "../../db/schema";
import { createTestDb, type TestDb } from "../support/db";
import { signInAs, type TestSession } from "../support/session";

/**
 * Issue 11: a page runs at most 10 SQL statements whatever the data. Each main page is loaded as
 * the web server loads it — the root loader (header, work counts) and the page's loader at once,
 * on one per-request context — on the demo data, through a Kysely that counts every statement
 * it executes (a plugin sees each query's result once, raw `sql` included). The session look-up
 * counts too.
 */

const LIMIT = 10;

let handle: TestDb;
let admin: TestSession;
let count = 0;
let counted: Kysely<Database>;
let someInstitution = "";

const counter: KyselyPlugin = {
  transformQuery: (args) => args.node,
  transformResult: async (args) => {
    count++;
    return args.result;
  },
};

const NEVER_TEMPORAL = new Proxy(
  {},
  {
    get(_t, prop) {
      throw new Error(`The page asked Temporal for ${String(prop)}: pages read the database only`);
    },
  },
);

async function statementsOf(
  loader: (args: LoaderFunctionArgs) => Promise<unknown>,
  url: string,
  params: Record<string, string> = {},
): Promise<number> {
  const context = {
    db: counted,
    temporal: NEVER_TEMPORAL,
    config: parseConfig({}),
    temporalUiUrl: null,
    clientIp: "127.0.0.1",
    requestId: crypto.randomUUID(),
  } as unknown as AppLoadContext;
  count = 0;
  const request = () => new Request(`http://test${url}`, { headers: { Cookie: admin.cookie } });
  // As the web server runs a GET: in the request's state, which its loaders share (web.ts).
  const [top, res] = await requestState.run({ databaseLost: false, requestId: context.requestId, reads: true }, () =>
    Promise.all([root({ request: request(), params: {}, context }), loader({ request: request(), params, context })]),
  );
  expect(top.status).toBe(200);
  expect(res instanceof Response ? res.status : 200).toBe(200);
  return count;
}

beforeAll(async () => {
  handle = await createTestDb("pglite");
  await seedDemoData(handle.db, new Date());
  admin = await signInAs(handle.db, "ilo_admin");
  counted = handle.db.withPlugin(counter);
  // A process reads each published template version once and keeps it (they never change,
  // db/queries/institutions.ts): the pages below are counted as every request after that.
  const published = await handle.db.selectFrom("pathway_templates").select("id").where("status", "=", "published").execute();
  for (const { id } of published) await getTemplate(counted, id);
  someInstitution = (await handle.db.selectFrom("institutions").select("id").orderBy("name").executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await handle?.close();
});

describe("one page request looks its session up once", () => {
  it("root and page loaders share it on the request's context; an action looks again", async () => {
    const context = { db: counted, config: parseConfig({}), clientIp: "127.0.0.1", requestId: crypto.randomUUID() };
    const { getSession } = await import("../../app/platform/auth.server");
    const get = () => new Request("http://test/institutions", { headers: { Cookie: admin.cookie } });
    count = 0;
    const [a, b] = await Promise.all([
      getSession(get(), context as unknown as AppLoadContext),
      getSession(get(), context as unknown as AppLoadContext),
    ]);
    expect(a?.actor.id).toBeTruthy();
    expect(b).toBe(a);
    expect(count).toBe(1);
    const post = new Request("http://test/institutions", { method: "POST", headers: { Cookie: admin.cookie } });
    await getSession(post, context as unknown as AppLoadContext);
    expect(count).toBe(2);
    // Another request (another context) looks it up again.
    await getSession(get(), { ...context, requestId: crypto.randomUUID() } as unknown as AppLoadContext);
    expect(count).toBe(3);
  });
});

describe(`every main page runs at most ${LIMIT} SQL statements`, () => {
  const pages: [string, (args: LoaderFunctionArgs) => Promise<unknown>, () => string, () => Record<string, string>][] = [
    ["/institutions", institutions, () => "/institutions", () => ({})],
    ["/institutions?q=…&sort=…", institutions, () => "/institutions?q=a&sort=stage&dir=desc&page=2&per=10", () => ({})],
    ["/institutions/<id>", institution, () => `/institutions/${someInstitution}`, () => ({ id: someInstitution })],
    [
      "/institutions/<id>/plans",
      institutionPlans,
      () => `/institutions/${someInstitution}/plans`,
      () => ({ id: someInstitution }),
    ],
    ["/portfolio", portfolio, () => "/portfolio", () => ({})],
    ["/analytics", analytics, () => "/analytics", () => ({})],
    ["/logframe", logframe, () => "/logframe", () => ({})],
    ["/totals", totals, () => "/totals", () => ({})],
    ["/verify", verify, () => "/verify", () => ({})],
    ["/notifications", notifications, () => "/notifications", () => ({})],
    ["/plans?country=…&q=…", plans, () => "/plans?country=GH&q=a&sort=exit", () => ({})],
  ];
  for (const [label, loader, url, params] of pages)
    it(label, async () => {
      const n = await statementsOf(loader, url(), params());
      expect(n).toBeGreaterThan(0);
      expect(n, `${label} ran ${n} statements`).toBeLessThanOrEqual(LIMIT);
    });
});
