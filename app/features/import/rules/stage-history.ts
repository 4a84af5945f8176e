import type { Problem } from "./columns";
import { col } from "./columns";
import { institutionOf, isProblem, tidy, type EntitySpec, type ImportReference, type ParsedRow, type RowProblem } from "./entity";
import type { ValidRow } from "./validate";

/**
 * Stage history: the day an institution reached each stage of its pathway, who decided and why,
 * one row per institution and stage. The stage is named by its key ("tot") or its name
 * ("Training of Trainers"). The dates become the institution's transitions, so time in stage,
 * analytics, forecasts and past phases' indicators follow them; an institution moves forward to
 * the furthest stage the file gives it, and its running pathway takes that stage without a new
 * sign-off. Refused: a stage its template does not have, a day after today, a later stage
 * reached before an earlier one, and a file whose furthest stage lies behind the stage the
 * institution is at (an import never moves an institution back).
 */
export const stageHistoryImport: EntitySpec = {
  entity: "stage_history",
  keyColumns: ["country", "institution", "stage"],
  columns: (ref) => [
    col("country", true, { kind: "enum", values: ref.countries }, "GH"),
    col("institution", true, { kind: "text", max: 200 }, "Accra Enterprise Skills Centre"),
    col("stage", true, { kind: "text", max: 120 }, "tot", "import.column.historyStage"),
    col("reached_on", true, { kind: "date" }, "2014-03-20", "import.column.reachedOn"),
    col("decided_by", true, { kind: "text", max: 200 }, "officer@ilo.org", "import.column.decidedBy"),
    col("note", false, { kind: "text", max: 1000 }, "Six trainers, two of them women", "import.column.historyNote"),
  ],
  check(row, ref) {
    const problems: RowProblem[] = [];
    const inst = institutionOf(row, ref);
    if (isProblem(inst)) problems.push(inst);
    else {
      const pathway = ref.pathways?.get(inst.id);
      if (pathway && stageOf(pathway, row.stage as string) === null)
        problems.push({
          column: "stage",
          code: "import.problem.unknownStage",
          vars: { value: String(row.stage), allowed: pathway.stages.map((s) => s.key).join(", ") },
        });
    }
    if (ref.today && (row.reached_on as string) > ref.today)
      problems.push({ column: "reached_on", code: "import.problem.futureDate", vars: { today: ref.today } });
    if (tidy(row.decided_by as string).length < 2) problems.push({ column: "decided_by", code: "import.problem.tooShort" });
    return problems;
  },
  checkAll: (rows, ref) => checkHistories(rows, ref),
};

/** A stage of the pathway named by its key or its name (case and spaces aside); null when it has none such. */
export function stageOf(pathway: { stages: readonly { key: string; name: string }[] }, text: string): string | null {
  const wanted = tidy(text).toLowerCase();
  return pathway.stages.find((s) => s.key.toLowerCase() === wanted || tidy(s.name).toLowerCase() === wanted)?.key ?? null;
}

/** The institution id and stage key a valid row names (every row check passed). */
export function rowStage(row: ParsedRow, ref: ImportReference): { institutionId: string; stageKey: string } {
  const inst = institutionOf(row, ref);
  if (isProblem(inst)) throw new Error("rowStage on a row that names no institution");
  return { institutionId: inst.id, stageKey: stageOf(ref.pathways!.get(inst.id)!, row.stage as string)! };
}

/**
 * Each institution's history taken whole: the stages in the file, with those it reached before
 * and the file does not give, must be reached in their order (a day may hold several), and its
 * furthest stage in the file may not lie behind the one it is at.
 */
function checkHistories(rows: readonly ValidRow[], ref: ImportReference): Problem[] {
  const problems: Problem[] = [];
  const byInstitution = new Map<string, { row: number; stageKey: string; on: string }[]>();
  for (const r of rows) {
    const { institutionId, stageKey } = rowStage(r.values, ref);
    const list = byInstitution.get(institutionId) ?? [];
    // The same stage by its key and by its name is one stage named twice.
    const first = list.find((g) => g.stageKey === stageKey);
    if (first) {
      problems.push({ row: r.row, column: "stage", code: "import.problem.duplicate", vars: { first: first.row } });
      continue;
    }
    list.push({ row: r.row, stageKey, on: r.values.reached_on as string });
    byInstitution.set(institutionId, list);
  }
  for (const [institutionId, given] of byInstitution) {
    const pathway = ref.pathways!.get(institutionId)!;
    const index = (key: string) => pathway.stages.findIndex((s) => s.key === key);
    const nameOf = (key: string) => pathway.stages[index(key)].name;
    const institution = String(rows.find((r) => r.row === given[0].row)!.values.institution);

    const furthest = given.reduce((a, b) => (index(b.stageKey) > index(a.stageKey) ? b : a));
    if (index(furthest.stageKey) < index(pathway.current)) {
      problems.push({
        row: furthest.row,
        column: "stage",
        code: "import.problem.wouldMoveBack",
        vars: { institution, current: nameOf(pathway.current), stage: nameOf(furthest.stageKey) },
      });
      continue;
    }

    // The history as it would be: the file's days, and the stored ones for stages it leaves out.
    const inFile = new Map(given.map((g) => [g.stageKey, g]));
    const history = pathway.stages
      .map((s) => {
        const g = inFile.get(s.key);
        if (g) return { stageKey: s.key, on: g.on, row: g.row as number | null };
        const on = pathway.reached[s.key];
        // A stored stage beyond the file's furthest is a later move (after a slip back): not history to order.
        return on && index(s.key) < index(furthest.stageKey) ? { stageKey: s.key, on, row: null } : null;
      })
      .filter((h) => h !== null);
    for (let i = 1; i < history.length; i++) {
      const earlier = history.slice(0, i).reduce((a, b) => (b.on > a.on ? b : a));
      const later = history[i];
      if (later.on >= earlier.on) continue;
      const row = later.row ?? earlier.row;
      if (row === null) continue;
      problems.push({
        row,
        column: "reached_on",
        code: "import.problem.stageOutOfOrder",
        vars: {
          stage: nameOf(later.stageKey),
          date: later.on,
          earlier: nameOf(earlier.stageKey),
          earlierDate: earlier.on,
        },
      });
    }
  }
  return problems;
}
