import { describe, expect, it } from "vitest";
import { DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_V2 } from "../../../db/reference-data";
import { EMPTY_RECORDS } from "../../domain/records";
import { diffGates, previewMove } from "./template-move";
import { draftFromDefinition, validateDraft, type TemplateDraft } from "./template-validation";

const draft = (): TemplateDraft => structuredClone(draftFromDefinition(DEFAULT_TEMPLATE));
const stage = (d: TemplateDraft, key: string) => d.stages.find((s) => s.key === key)!;

function problems(d: TemplateDraft) {
  const r = validateDraft(d);
  if (r.ok) throw new Error("expected the draft to be refused");
  return r.problems;
}

describe("template validation", () => {
  it("accepts the default templates and gives back the same definitions", () => {
    for (const def of [DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_V2]) {
      const r = validateDraft(draftFromDefinition(def));
      expect(r.ok && r.definition).toEqual(def);
    }
  });

  it("follows the arrows, not the list, for the order of stages", () => {
    const d = draft();
    // List order engaged, tot, certification, independent, cost_recovery; arrows unchanged.
    const [cr, ind] = [d.stages[3], d.stages[4]];
    d.stages[3] = ind;
    d.stages[4] = cr;
    const r = validateDraft(d);
    expect(r.ok && r.definition.stages.map((s) => s.key)).toEqual([
      "engaged",
      "tot",
      "certification",
      "cost_recovery",
      "independent",
    ]);
  });

  it("refuses a stage no arrow leads to, naming it", () => {
    const d = draft();
    d.stages.push({
      id: "n1",
      key: "follow_up",
      name: "Follow-up",
      description: "",
      gate: [{ key: "x", label: "X", metric: "mou_signed", threshold: 1 }],
    });
    expect(problems(d)).toEqual([
      { code: "unreachable", vars: { stage: "Follow-up", first: "Engaged" }, field: "stages.n1", stageId: "n1" },
    ]);
  });

  it("refuses a disconnected stage and everything after it", () => {
    const d = draft();
    d.edges = d.edges.filter((e) => e.to !== "cost_recovery");
    expect(problems(d).map((p) => [p.code, p.stageId])).toEqual([
      ["unreachable", "cost_recovery"],
      ["unreachable", "independent"],
    ]);
  });

  it("refuses branches, merges and cycles", () => {
    const branch = draft();
    branch.edges.push({ from: "tot", to: "independent" });
    expect(problems(branch).map((p) => [p.code, p.stageId])).toEqual([
      ["branch", "tot"],
      ["merge", "independent"],
    ]);

    const cycle = draft();
    cycle.edges.push({ from: "independent", to: "tot" });
    expect(problems(cycle).map((p) => [p.code, p.stageId])).toEqual([
      ["merge", "tot"],
      ["cycle", "independent"],
    ]);

    const back = draft();
    back.edges.push({ from: "independent", to: "engaged" });
    expect(problems(back).map((p) => p.code)).toEqual(["firstHasPrevious", "cycle"]);
  });

  it("refuses a criterion without a threshold, or with one that is not a number", () => {
    const d = draft();
    stage(d, "tot").gate[2].threshold = "";
    stage(d, "certification").gate[0].threshold = "four";
    expect(problems(d)).toEqual([
      {
        code: "thresholdMissing",
        vars: { stage: "Training of Trainers", criterion: "Trainers trained in ToT" },
        field: "stages.tot.gate.2.threshold",
        stageId: "tot",
      },
      {
        code: "thresholdNotNumber",
        vars: { stage: "Certification", criterion: "Certified trainers", value: "four" },
        field: "stages.certification.gate.0.threshold",
        stageId: "certification",
      },
    ]);
  });

  it("refuses duplicate stage keys and duplicate criterion keys", () => {
    const d = draft();
    stage(d, "independent").key = "tot";
    d.stages[1].gate[1].key = "mou";
    expect(problems(d).map((p) => [p.code, p.field])).toEqual([
      ["stageKeyDuplicate", "stages.independent.key"],
      ["criterionKeyDuplicate", "stages.tot.gate.1.key"],
    ]);
  });

  it("refuses an unknown metric", () => {
    const d = draft();
    d.stages[1].gate[0].metric = "happiness";
    expect(problems(d)).toMatchObject([
      { code: "metricUnknown", field: "stages.tot.gate.0.metric", vars: { metric: "happiness" } },
    ]);
  });

  it("refuses percent and score thresholds outside 0–100 and yes/no thresholds other than 0 or 1", () => {
    const d = draft();
    stage(d, "tot").gate[3].threshold = 130; // women share, percent
    stage(d, "tot").gate[0].threshold = 2; // MoU signed, yes/no
    stage(d, "tot").gate.push({ key: "readiness", label: "Readiness", metric: "readiness_score", threshold: "-5" });
    stage(d, "tot").gate.push({ key: "count", label: "Trainers", metric: "certified_trainers", threshold: "2.5" });
    expect(problems(d).map((p) => [p.code, p.field])).toEqual([
      ["thresholdYesNo", "stages.tot.gate.0.threshold"],
      ["thresholdPercent", "stages.tot.gate.3.threshold"],
      ["thresholdScore", "stages.tot.gate.4.threshold"],
      ["thresholdCount", "stages.tot.gate.5.threshold"],
    ]);
  });

  it("refuses a per-module metric without its module", () => {
    const d = draft();
    stage(d, "certification").gate[1].module = " ";
    expect(problems(d)).toMatchObject([{ code: "moduleMissing", field: "stages.certification.gate.1.module" }]);
  });

  it("refuses timers that are not positive whole numbers", () => {
    const d = draft();
    d.timers.reviewEveryDays = 0;
    d.timers.reminderAfterDays = "-3";
    d.timers.escalateAfterDays = "";
    expect(problems(d).map((p) => p.field)).toEqual([
      "timers.reminderAfterDays",
      "timers.escalateAfterDays",
      "timers.reviewEveryDays",
    ]);
  });

  it("refuses readiness weights that are all zero or negative", () => {
    const d = draft();
    d.readinessWeights = { technical: 0, institutional: "0", financial: 0 };
    expect(problems(d)).toEqual([{ code: "weightsAllZero", vars: {}, field: "weights" }]);
    d.readinessWeights.financial = -1;
    expect(problems(d)).toMatchObject([{ code: "weightInvalid", field: "weights.financial" }]);
  });

  it("refuses a stage after the first without criteria, a first stage with some, too few stages and bad keys", () => {
    const d = draft();
    stage(d, "certification").gate = [];
    stage(d, "engaged").gate = [{ key: "a", label: "A", metric: "mou_signed", threshold: 1 }];
    stage(d, "tot").key = "Training";
    expect(problems(d).map((p) => [p.code, p.stageId])).toEqual([
      ["stageKey", "tot"],
      ["firstGate", "engaged"],
      ["gateEmpty", "certification"],
    ]);
    expect(problems({ ...draft(), stages: draft().stages.slice(0, 1), edges: [] }).map((p) => p.code)).toEqual(["tooFewStages"]);
  });
});

describe("move preview", () => {
  it("lists the readiness criterion default@2 adds to every gate after the first", () => {
    const changes = diffGates(DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_V2);
    expect(changes.map((c) => [c.stageKey, c.kind, c.key, c.after])).toEqual([
      ["tot", "added", "readiness", "readiness_score ≥ 40"],
      ["certification", "added", "readiness", "readiness_score ≥ 55"],
      ["cost_recovery", "added", "readiness", "readiness_score ≥ 65"],
      ["independent", "added", "readiness", "readiness_score ≥ 75"],
    ]);
  });

  it("says the next gate becomes unmet when the new criterion is not met by today's records", () => {
    const records = { ...EMPTY_RECORDS, mouSignedOn: "2026-01-01", scoreInPortfolio: true, trainers: [] };
    const easy = structuredClone(DEFAULT_TEMPLATE);
    easy.stages[1].gate = easy.stages[1].gate.slice(0, 2);
    const harder = structuredClone(easy);
    harder.stages[1].gate.push({ key: "readiness", label: "Readiness", metric: "readiness_score", params: {}, threshold: 40 });
    const p = previewMove(easy, harder, "engaged", records, new Date("2026-06-01"));
    expect([p.stageMissing, p.nextGateBefore?.met, p.nextGateAfter?.met]).toEqual([false, true, false]);
    const gone = structuredClone(harder);
    gone.stages = gone.stages.filter((s) => s.key !== "engaged");
    expect(previewMove(easy, gone, "engaged", records, new Date("2026-06-01")).stageMissing).toBe(true);
  });
});
