import { DAY_MS, isoDate } from "../../domain/dates";

/**
 * Stage analytics from stage transitions: how long institutions stay at each stage, who is stuck,
 * and how many move (or slip back) each quarter. Pure: the clock (`now`) is passed in, and every
 * figure says which stays it rests on.
 */

export type TransitionKind = "start" | "advance" | "slip_back";

export interface TransitionEvent {
  fromStage: string | null;
  toStage: string;
  kind: TransitionKind;
  at: Date | string | number;
}

/** One uninterrupted stay of an institution at a stage. */
export interface Stay {
  stageKey: string;
  enteredAt: number;
  /** When it left (the next transition), or null while it is still there. */
  leftAt: number | null;
  /** How it left: "advance" or "slip_back"; null while still there. */
  exit: Exclude<TransitionKind, "start"> | null;
  /** Days at the stage; an open stay counts until `now`. Fractional. */
  days: number;
}

const ms = (at: Date | string | number) => new Date(at).getTime();

/**
 * The stays an institution's transitions describe, oldest first. Every transition opens a stay at
 * its `toStage` and closes the stay before it; the last stay is open and counts until `now`.
 */
export function staysFrom(transitions: TransitionEvent[], now: Date | number): Stay[] {
  const sorted = [...transitions].sort((a, b) => ms(a.at) - ms(b.at));
  const nowMs = ms(now);
  return sorted.map((t, i) => {
    const next = sorted[i + 1];
    const enteredAt = ms(t.at);
    const leftAt = next ? ms(next.at) : null;
    const exit = next ? (next.kind === "slip_back" ? "slip_back" : "advance") : null;
    return { stageKey: t.toStage, enteredAt, leftAt, exit, days: Math.max(0, ((leftAt ?? nowMs) - enteredAt) / DAY_MS) };
  });
}

/** Quantile of sorted numbers by linear interpolation between closest ranks (Excel's PERCENTILE.INC). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export interface Spread {
  count: number;
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
}

export function spreadOf(values: number[]): Spread | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return {
    count: s.length,
    median: quantile(s, 0.5),
    p25: quantile(s, 0.25),
    p75: quantile(s, 0.75),
    min: s[0],
    max: s[s.length - 1],
  };
}

/** An institution with its stays, as the analytics need it. */
export interface InstitutionHistory {
  id: string;
  name: string;
  country: string;
  /** Its current stage (the open stay's, when the transitions are complete). */
  stageKey: string;
  stays: Stay[];
}

export interface StageTime {
  stageKey: string;
  /** null: every country together. */
  country: string | null;
  /** Stays counted, open ones included. */
  stays: number;
  /** Of which still open (institutions at the stage now). */
  open: number;
  /** Days, over every stay counted; null when there is none. */
  spread: Spread | null;
}

/**
 * Time in each stage, for every country together and for each country, in stage order and then
 * country order. Every stay counts, open ones until `now`: leaving them out would make a stage
 * where institutions stay long look short.
 */
export function timeInStage(histories: InstitutionHistory[], stageKeys: string[]): StageTime[] {
  const countries = [...new Set(histories.map((h) => h.country))].sort();
  const rows: StageTime[] = [];
  for (const stageKey of stageKeys)
    for (const country of [null, ...countries]) {
      const stays = histories
        .filter((h) => country === null || h.country === country)
        .flatMap((h) => h.stays.filter((s) => s.stageKey === stageKey));
      if (country !== null && stays.length === 0) continue;
      rows.push({
        stageKey,
        country,
        stays: stays.length,
        open: stays.filter((s) => s.leftAt === null).length,
        spread: spreadOf(stays.map((s) => s.days)),
      });
    }
  return rows;
}

export interface StuckInstitution {
  id: string;
  name: string;
  country: string;
  stageKey: string;
  since: string;
  days: number;
}

export const DEFAULT_STUCK_AFTER_DAYS = 365;

/**
 * Institutions whose current stay has lasted longer than `thresholdDays`, longest first. The last
 * stage is the goal, not a place to be stuck, so it never counts.
 */
export function stuckInstitutions(
  histories: InstitutionHistory[],
  stageKeys: string[],
  thresholdDays: number = DEFAULT_STUCK_AFTER_DAYS,
): StuckInstitution[] {
  const last = stageKeys[stageKeys.length - 1];
  return histories
    .flatMap((h) => {
      const open = h.stays.find((s) => s.leftAt === null);
      if (!open || open.stageKey === last || open.days <= thresholdDays) return [];
      return [
        {
          id: h.id,
          name: h.name,
          country: h.country,
          stageKey: open.stageKey,
          since: isoDate(open.enteredAt),
          days: Math.floor(open.days),
        },
      ];
    })
    .sort((a, b) => b.days - a.days || a.name.localeCompare(b.name));
}

export interface QuarterCount {
  /** "2025-Q3" */
  quarter: string;
  advances: number;
  slipsBack: number;
}

export function quarterOf(at: Date | string | number): string {
  const d = new Date(at);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
}

function nextQuarter(q: string): string {
  const [y, n] = q.split("-Q").map(Number);
  return n === 4 ? `${y + 1}-Q1` : `${y}-Q${n + 1}`;
}

/**
 * Advances and slips back per calendar quarter (UTC), from the first quarter with one up to the
 * quarter of `now`, quiet quarters included so a chart's gaps are real. Starts are not moves.
 */
export function transitionsPerQuarter(transitions: TransitionEvent[], now: Date | number): QuarterCount[] {
  const counts = new Map<string, QuarterCount>();
  for (const t of transitions) {
    if (t.kind === "start") continue;
    const q = quarterOf(t.at);
    const c = counts.get(q) ?? { quarter: q, advances: 0, slipsBack: 0 };
    if (t.kind === "advance") c.advances++;
    else c.slipsBack++;
    counts.set(q, c);
  }
  return quarterSeries([...counts.values()], now);
}

/**
 * The quarters with moves (counted elsewhere, e.g. by the database) as a series from the first of
 * them up to the quarter of `now`, quiet quarters filled with zeros. No quarter, no series.
 */
export function quarterSeries(withMoves: QuarterCount[], now: Date | number): QuarterCount[] {
  if (withMoves.length === 0) return [];
  const byQuarter = new Map(withMoves.map((q) => [q.quarter, q]));
  const sorted = [...byQuarter.keys()].sort();
  const first = sorted[0];
  const lastQuarter = [quarterOf(now), ...sorted].sort().at(-1)!;
  const out: QuarterCount[] = [];
  for (let q = first; ; q = nextQuarter(q)) {
    const c = byQuarter.get(q);
    out.push({ quarter: q, advances: c?.advances ?? 0, slipsBack: c?.slipsBack ?? 0 });
    if (q === lastQuarter) break;
  }
  return out;
}
