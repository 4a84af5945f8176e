import type { ShouldRevalidateFunctionArgs } from "@remix-run/react";
import { describe, expect, it } from "vitest";
import { shouldRevalidateRoot } from "./root-revalidate";

const args = (over: Partial<ShouldRevalidateFunctionArgs>): ShouldRevalidateFunctionArgs =>
  ({
    currentUrl: new URL("http://x/institutions"),
    currentParams: {},
    nextUrl: new URL("http://x/portfolio"),
    nextParams: {},
    defaultShouldRevalidate: true,
    ...over,
  }) as ShouldRevalidateFunctionArgs;

describe("the root loader runs again", () => {
  it("not on a link followed, a GET form or a poll: the catalogue is not sent again", () => {
    expect(shouldRevalidateRoot(args({}))).toBe(false);
    expect(shouldRevalidateRoot(args({ formMethod: "GET" }))).toBe(false);
    expect(shouldRevalidateRoot(args({ nextUrl: new URL("http://x/institutions") }))).toBe(false);
  });

  it("on the way to a page where the header changes: sign-in, notifications", () => {
    expect(shouldRevalidateRoot(args({ nextUrl: new URL("http://x/login?next=%2Fportfolio") }))).toBe(true);
    expect(shouldRevalidateRoot(args({ nextUrl: new URL("http://x/notifications") }))).toBe(true);
  });

  it("after a submission (sign-in, language chosen, notifications read)", () => {
    expect(shouldRevalidateRoot(args({ formMethod: "POST" }))).toBe(true);
    expect(shouldRevalidateRoot(args({ formMethod: "post" }))).toBe(true);
    expect(shouldRevalidateRoot(args({ formMethod: "POST", defaultShouldRevalidate: false }))).toBe(false);
  });
});

describe("after a send that got no answer (decision 027)", () => {
  it("does not run again: nothing known changed, and the server cannot be reached", () => {
    expect(shouldRevalidateRoot(args({ formMethod: "POST", actionResult: { values: {}, notSent: "offline" } }))).toBe(false);
    expect(shouldRevalidateRoot(args({ formMethod: "POST", actionResult: { values: {}, notSent: "dropped" } }))).toBe(false);
    expect(shouldRevalidateRoot(args({ formMethod: "POST", actionResult: { values: {} } }))).toBe(true);
  });
});
