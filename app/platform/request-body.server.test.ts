import { describe, expect, it } from "vitest";
import { isFormContentType, isUuid, queryInt, readForm, textProblem } from "./request-body.server";

const post = (body: BodyInit, type?: string) =>
  new Request("http://x/", { method: "POST", body, headers: type ? { "Content-Type": type } : {} });

describe("the request edge", () => {
  it("refuses control characters but tab and line breaks, and over-long text", () => {
    expect(textProblem("a\tb\r\nc")).toBeNull();
    expect(textProblem("a\u0000b")).toMatch(/control/);
    expect(textProblem("a\u007f")).toMatch(/control/);
    expect(textProblem("x".repeat(11), 10)).toMatch(/under 10/);
  });

  it("range-checks numbers in the query string", () => {
    const q = new URLSearchParams("before=1e309&ok=12&neg=-1&blank=");
    expect(() => queryInt(q, "before", 1, Number.MAX_SAFE_INTEGER)).toThrow();
    expect(() => queryInt(q, "neg", 1, 10)).toThrow();
    expect(queryInt(q, "ok", 1, 100)).toBe(12);
    expect(queryInt(q, "blank", 1, 100)).toBeUndefined();
    expect(queryInt(q, "absent", 1, 100)).toBeUndefined();
  });

  it("knows forms and ids", () => {
    expect(isFormContentType("multipart/form-data; boundary=x")).toBe(true);
    expect(isFormContentType("application/json")).toBe(false);
    expect(isFormContentType(null)).toBe(false);
    expect(isUuid("0b9f3f7e-2a51-4c1e-9d2a-4f0c2b8e6a11")).toBe(true);
    expect(isUuid("1e309")).toBe(false);
  });

  it("answers a non-form body 415, a garbled one 400 and a NUL field 422 naming it", async () => {
    const status = (p: Promise<unknown>) =>
      p.then(
        () => 200,
        (r: Response) => r.status,
      );
    expect(await status(readForm(post("{}", "application/json")))).toBe(415);
    expect(await status(readForm(post("--x\r\nContent-Disp", "multipart/form-data; boundary=x")))).toBe(400);
    const refused = await readForm(post("note=a%00b", "application/x-www-form-urlencoded")).catch((r: Response) => r);
    expect((refused as Response).status).toBe(422);
    expect(await (refused as Response).json()).toMatchObject({ errors: { note: expect.stringMatching(/control/) } });
    expect((await readForm(post("note=fine", "application/x-www-form-urlencoded"))).get("note")).toBe("fine");
  });
});
