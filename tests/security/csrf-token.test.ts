import { describe, expect, it } from "vitest";
import { givenCsrf } from "../../app/platform/access.server";

/**
 * Where the server finds a form's CSRF token (requireActor and sign-out use it), on real Request
 * objects: plain forms, multipart forms (files) however their bytes arrive, and the header.
 * Multipart forms were once let through unchecked; the HTTP tests in auth.test.ts cover that
 * end to end, these cover the reading itself.
 */

const TOKEN = "Yq3bX0pS2m5vT8wZc1dF4gH7jK9lN2pQ5rS8tV0xY3z";

async function multipart(form: FormData, opts: { chunk?: number } = {}): Promise<Request> {
  const encoded = new Response(form);
  const type = encoded.headers.get("Content-Type")!;
  const bytes = new Uint8Array(await encoded.arrayBuffer());
  const body = opts.chunk
    ? new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < bytes.length; i += opts.chunk!) c.enqueue(bytes.slice(i, i + opts.chunk!));
          c.close();
        },
      })
    : bytes;
  return new Request("http://pathways.test/x", {
    method: "POST",
    headers: { "Content-Type": type },
    body,
    duplex: "half",
  } as RequestInit);
}

function form(entries: [string, string | Blob, string?][]): FormData {
  const f = new FormData();
  for (const [k, v, name] of entries) {
    if (typeof v === "string") f.append(k, v);
    else f.append(k, v, name);
  }
  return f;
}

describe("the CSRF token a request carries", () => {
  it("plain form: the csrf field, and the route can still read the whole form", async () => {
    const req = new Request("http://pathways.test/x", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf: TOKEN, decision: "verify" }),
    });
    expect(await givenCsrf(req)).toBe(TOKEN);
    expect(Object.fromEntries(await req.formData())).toEqual({ csrf: TOKEN, decision: "verify" });
  });

  it("other bodies: only the X-CSRF-Token header counts", async () => {
    const json = new Request("http://pathways.test/x", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": TOKEN },
      body: JSON.stringify({ csrf: "other" }),
    });
    expect(await givenCsrf(json)).toBe(TOKEN);
    const plain = new Request("http://pathways.test/x", {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: `csrf=${TOKEN}`,
    });
    expect(await givenCsrf(plain)).toBeNull();
  });

  it("multipart form with a file: the csrf field in front, and the route still gets every byte of the file", async () => {
    const file = new Uint8Array(1024 * 1024).map((_, i) => i % 251);
    const req = await multipart(
      form([
        ["csrf", TOKEN],
        ["note", "two\r\nlines"],
        ["evidenceFiles", new Blob([file], { type: "application/pdf" }), "sheet.pdf"],
      ]),
    );
    expect(await givenCsrf(req)).toBe(TOKEN);
    const parsed = await req.formData();
    expect(parsed.get("note")).toBe("two\r\nlines");
    const got = new Uint8Array(await (parsed.get("evidenceFiles") as File).arrayBuffer());
    expect(Buffer.compare(Buffer.from(got), Buffer.from(file))).toBe(0);
  });

  it("multipart bytes arriving one at a time, or a few at a time", async () => {
    for (const chunk of [1, 7, 64]) {
      const req = await multipart(
        form([
          ["csrf", TOKEN],
          ["decision", "verify"],
        ]),
        { chunk },
      );
      expect({ chunk, token: await givenCsrf(req) }).toEqual({ chunk, token: TOKEN });
    }
  });

  it("multipart: finds csrf after small fields", async () => {
    const req = await multipart(
      form([
        ["intent", "send"],
        ["reportId", "5d1c…"],
        ["csrf", TOKEN],
      ]),
      { chunk: 5 },
    );
    expect(await givenCsrf(req)).toBe(TOKEN);
  });

  it("multipart without a csrf field, with a *file* named csrf, or with csrf hidden behind a large file: no token", async () => {
    expect(await givenCsrf(await multipart(form([["decision", "verify"]])))).toBeNull();
    expect(await givenCsrf(await multipart(form([["csrf", new Blob([TOKEN]), "csrf.txt"]])))).toBeNull();
    const big = new Blob([new Uint8Array(200 * 1024)]);
    expect(
      await givenCsrf(
        await multipart(
          form([
            ["evidenceFiles", big, "big.pdf"],
            ["csrf", TOKEN],
          ]),
        ),
      ),
    ).toBeNull();
  });

  it("multipart: a wrong boundary or a garbled body gives no token", async () => {
    const good = await multipart(form([["csrf", TOKEN]]));
    const bytes = await good.arrayBuffer();
    const wrong = new Request("http://pathways.test/x", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=somethingelse" },
      body: bytes,
    });
    expect(await givenCsrf(wrong)).toBeNull();
    const none = new Request("http://pathways.test/x", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data" },
      body: bytes,
    });
    expect(await givenCsrf(none)).toBeNull();
  });

  it("multipart: reads only the start of a huge body that has no token", async () => {
    let pulled = 0;
    const boundary = "----pathwaysTestBoundary";
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="evidenceFiles"; filename="huge.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    let sentHead = false;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        const chunk = sentHead ? new Uint8Array(16 * 1024) : head;
        sentHead = true;
        pulled += chunk.length;
        if (pulled > 50 * 1024 * 1024) c.close();
        else c.enqueue(chunk);
      },
    });
    const req = new Request("http://pathways.test/x", {
      method: "POST",
      headers: { "Content-Type": `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: "half",
    } as RequestInit);
    expect(await givenCsrf(req)).toBeNull();
    expect(pulled).toBeLessThan(512 * 1024);
  });
});
