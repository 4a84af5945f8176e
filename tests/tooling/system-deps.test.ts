import { describe, expect, it } from "vitest";
import { missingLine, missingSystemDeps } from "../support/system-deps";

describe("what npm test needs from the system", () => {
  it("names nothing when Chromium and the fonts are there", () => {
    expect(missingSystemDeps(() => true)).toEqual([]);
  });

  it("says in one line exactly what is missing and the packages that provide it", () => {
    const missing = missingSystemDeps((p) => !p.includes("DejaVu"));
    expect(missing.map((m) => m.pkg)).toEqual(["fonts-dejavu-core"]);
    const both = missingLine(missingSystemDeps(() => false));
    expect(both).not.toContain("\n");
    expect(both).toContain("Chromium");
    expect(both).toContain("DejaVu Sans");
    expect(both).toContain("apt-get install -y chromium fonts-dejavu-core");
  });
});
