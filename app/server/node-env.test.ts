import { describe, expect, it } from "vitest";
import { nodeEnvFor } from "./node-env";

describe("the web process's NODE_ENV", () => {
  it("is production when unset, so server rendering runs React's production build", () => {
    expect(nodeEnvFor(undefined)).toBe("production");
    expect(nodeEnvFor("")).toBe("production");
  });
  it("keeps a NODE_ENV already set (development, test)", () => {
    expect(nodeEnvFor("development")).toBe("development");
    expect(nodeEnvFor("test")).toBe("test");
  });
});
