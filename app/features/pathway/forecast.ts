import { spreadOf, type Stay } from "../analytics/analytics";
import { DAY_MS, isoDate } from "../../domain/dates";

/**
 * When an institution will pass its next gate and reach the last stage (independent delivery),
 * if it keeps the pace it has had. Pure: stays, stage order and `now` come in.
 *
 * The rule, in full (pages show it beside the dates):
 * - A completed stage is a stay that ended with an advance. Stays that ended in a slip back, and
 *   the open stay, are not a pace: they are shown but not used.
 * - With at least 2 completed stages of its own, the pace is the mean of their durations (days
 *   per stage), and the range runs from its fastest to its slowest completed stage.
 * - With fewer, the pace is the portfolio's: the median duration of every completed stage of
 *   every institution in the programme (the same whoever reads it; counted by the database, see
 *   decision 018), with the range from its 25th to its 75th percentile.
 * - The next gate is expected `pace` days after entering the current stage; once that date has
 *   passed it is "overdue" and expected today. Each stage after it takes `pace` days more. The
 *   low and high ends apply the range's two ends the same way.
 * - With no completed stage anywhere, there is no forecast (status "no_data").
 */

export const MIN_OWN_COMPLETED_STAGES = 2;

export interface Pace {
  daysPerStage: number;
  /** Fastest plausible days per stage. */
  low: number;
  /** Slowest plausible days per stage. */
  high: number;
}

export interface PortfolioPace extends Pace {
  /** Completed stays it rests on. */
  stays: number;
}

export function completedStays(stays: Stay[]): Stay[] {
  return stays.filter((s) => s.exit === "advance");
}

/** Median and quartiles of every completed stay of these institutions; null when there is none (the database's `forecastFacts` counts the same). */
export function portfolioPace(staysPerInstitution: Stay[][]): PortfolioPace | null {
  const spread = spreadOf(staysPerInstitution.flatMap((s) => completedStays(s).map((c) => c.days)));
  return spread && { daysPerStage: spread.median, low: spread.p25, high: spread.p75, stays: spread.count };
}

export interface DateRange {
  stageKey: string;
  /** Expected ISO date at the pace. */
  on: string;
  earliest: string;
  latest: string;
}

export interface StayUsed {
  stageKey: string;
  enteredOn: string;
  leftOn: string | null;
  days: number;
  /** Whether the pace was computed from it. */
  used: boolean;
}

export interface Forecast {
  status: "reached" | "forecast" | "no_data";
  currentStageKey: string | null;
  /** When it entered its current stage. */
  enteredOn: string | null;
  daysInStage: number;
  pace: (Pace & { source: "own" | "portfolio" }) | null;
  nextGate: (DateRange & { overdue: boolean }) | null;
  /** When it reaches the last stage (or reached it, with status "reached"). */
  lastStage: DateRange | null;
  /** The data it rests on, in words and stays. */
  basis: { summary: string; stays: StayUsed[]; portfolioStays: number | null };
}

const round1 = (n: number) => Math.round(n * 10) / 10;

function ownPace(stays: Stay[]): Pace | null {
  const done = completedStays(stays).map((s) => s.days);
  if (done.length < MIN_OWN_COMPLETED_STAGES) return null;
  return { daysPerStage: done.reduce((a, b) => a + b, 0) / done.length, low: Math.min(...done), high: Math.max(...done) };
}

export function forecastPathway(input: {
  stageKeys: string[];
  stays: Stay[];
  now: Date | number;
  portfolio: PortfolioPace | null;
}): Forecast {
  const { stageKeys, stays, portfolio } = input;
  const now = new Date(input.now).getTime();
  const own = ownPace(stays);
  const pace = own ? { ...own, source: "own" as const } : portfolio ? { ...portfolio, source: "portfolio" as const } : null;
  const current = stays.find((s) => s.leftAt === null) ?? stays.at(-1) ?? null;
  const staysUsed: StayUsed[] = stays.map((s) => ({
    stageKey: s.stageKey,
    enteredOn: isoDate(s.enteredAt),
    leftOn: s.leftAt === null ? null : isoDate(s.leftAt),
    days: round1(s.days),
    used: pace?.source === "own" && s.exit === "advance",
  }));
  const doneCount = completedStays(stays).length;
  const base = {
    currentStageKey: current?.stageKey ?? null,
    enteredOn: current ? isoDate(current.enteredAt) : null,
    daysInStage: current ? Math.floor(current.days) : 0,
    pace: pace && { ...pace, daysPerStage: round1(pace.daysPerStage), low: round1(pace.low), high: round1(pace.high) },
  };
  const summary = !pace
    ? "No institution has completed a stage yet, so there is no pace to forecast from."
    : pace.source === "own"
      ? `Its own pace: the mean of its ${doneCount} completed stages; the range runs from its fastest to its slowest.`
      : `${doneCount === 0 ? "No completed stage" : "Only 1 completed stage"} of its own, so the portfolio's pace: the median of ${portfolio!.stays} completed stages, with the range from the 25th to the 75th percentile.`;
  const basis = { summary, stays: staysUsed, portfolioStays: pace?.source === "portfolio" ? portfolio!.stays : null };

  const last = stageKeys.length - 1;
  const index = current ? stageKeys.indexOf(current.stageKey) : -1;
  if (current && index === last) {
    const on = isoDate(current.enteredAt);
    return {
      ...base,
      status: "reached",
      nextGate: null,
      lastStage: { stageKey: stageKeys[last], on, earliest: on, latest: on },
      basis,
    };
  }
  if (!current || index < 0 || !pace) return { ...base, status: "no_data", nextGate: null, lastStage: null, basis };

  const stagesAfterNext = last - (index + 1);
  const project = (daysPerStage: number) => {
    const next = Math.max(current.enteredAt + daysPerStage * DAY_MS, now);
    return { next, last: next + stagesAfterNext * daysPerStage * DAY_MS };
  };
  const mid = project(pace.daysPerStage);
  const early = project(pace.low);
  const late = project(pace.high);
  return {
    ...base,
    status: "forecast",
    nextGate: {
      stageKey: stageKeys[index + 1],
      on: isoDate(mid.next),
      earliest: isoDate(early.next),
      latest: isoDate(late.next),
      overdue: current.enteredAt + pace.daysPerStage * DAY_MS < now,
    },
    lastStage: { stageKey: stageKeys[last], on: isoDate(mid.last), earliest: isoDate(early.last), latest: isoDate(late.last) },
    basis,
  };
}
