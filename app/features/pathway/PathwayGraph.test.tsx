import { describe, expect, it } from "vitest";
import { evaluateNextGate } from "~/domain/gate";
import { EMPTY_RECORDS, type PathwayRecords } from "~/domain/records";
import { DEFAULT_TEMPLATE } from "../../../db/reference-data";
import { renderInApp as inApp } from "../../../tests/support/render-in-app";
import { PathwayGraph } from "./PathwayGraph";

const stages = DEFAULT_TEMPLATE.stages.map((s) => ({ key: s.key, name: s.name, description: s.description }));
const now = new Date("2025-06-01T00:00:00Z");

function render(stageKey: string, records: PathwayRecords = EMPTY_RECORDS, locale: "en" | "es" | "fr" = "en") {
  return inApp(
    <PathwayGraph
      stages={stages}
      currentIndex={stages.findIndex((s) => s.key === stageKey)}
      nextGate={evaluateNextGate(DEFAULT_TEMPLATE, stageKey, records, now)}
      reachedOn={{ engaged: "2024-01-10" }}
    />,
    locale,
  );
}

/** Text without React's comment markers, for readable assertions. */
const text = (html: string) => html.replace(/<!-- -->/g, "");

describe("PathwayGraph on the server", () => {
  it("draws every stage as a node with its status in words", async () => {
    const html = text(await render("engaged"));
    for (const s of stages) expect(html).toContain(`data-id="${s.key}"`);
    expect(html.match(/class="react-flow__node /g)).toHaveLength(5);
    expect(html).toContain("Current stage");
    expect(html).toContain("since 10 Jan 2024");
    expect(html.match(/>Locked</g)).toHaveLength(4);
  });

  it("draws the edges between stages (they need the handles the layout declares)", async () => {
    expect((await render("tot")).match(/class="react-flow__edge /g)).toHaveLength(4);
  });

  it("shows each criterion of the next gate against its threshold, met or not", async () => {
    const records: PathwayRecords = { ...EMPTY_RECORDS, mouSignedOn: "2025-01-05", scoreInPortfolio: true };
    const html = text(await render("engaged", records));
    expect(html).toContain("Gate: 2 of 4 criteria met");
    expect(html).toMatch(/Met: <\/span><span class="label">MoU signed<\/span><span class="value">Yes</);
    expect(html).toMatch(/Not met: <\/span><span class="label">Trainers trained in ToT<\/span><span class="value">0 \/ 6</);
    expect(html).toContain("0% / 30%");
  });

  it("says so when the gate is met", async () => {
    const trainers = Array.from({ length: 6 }, (_, i) => ({
      id: `t${i}`,
      sex: i < 2 ? ("female" as const) : ("male" as const),
      nationalExpert: false,
      trainedOn: "2025-03-01",
      lastActiveOn: "2025-03-01",
      certifications: [],
    }));
    const records: PathwayRecords = { ...EMPTY_RECORDS, mouSignedOn: "2025-01-05", scoreInPortfolio: true, trainers };
    expect(text(await render("engaged", records))).toContain("Gate met: awaiting sign-off");
  });

  it("keeps the picture out of the accessibility tree and says the same in a list", async () => {
    const html = text(await render("tot"));
    expect(html).toMatch(/class="pathway-graph-canvas"[^>]*aria-hidden="true"/);
    expect(html).toContain("<li>Training of Trainers: Current stage</li>");
    expect(html).toContain("<li>Certification: Locked. Gate: 0 of 5 criteria met</li>");
    expect(html).not.toContain('tabindex="0" role="group"');
  });

  it("speaks the reader's language, keeping template names as entered", async () => {
    const html = text(await render("engaged", { ...EMPTY_RECORDS, mouSignedOn: "2025-01-05" }, "es"));
    expect(html).toContain("Etapa actual");
    expect(html).toContain("desde el 10 ene 2024");
    expect(html).toContain("Umbral: 1 de 4 criterios cumplidos");
    expect(html).toMatch(/Cumplido: <\/span><span class="label">MoU signed<\/span><span class="value">Sí</);
    expect(text(await render("tot", EMPTY_RECORDS, "fr"))).toContain("<li>Training of Trainers: Étape actuelle</li>");
  });
});
