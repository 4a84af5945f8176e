import {
  percentOf,
  shareOf,
  type CountedActual,
  type CountryCounts,
  type IndicatorDefinition,
  type IndicatorUnit,
} from "./indicators";

/**
 * The parts of an indicator a logframe may set a target for and report on (decision 024):
 * - by sex, for the indicators that count people: the women, the men, and the share of women;
 * - by module, for the share of training cost from non-ILO sources: one module or a group
 *   ("module:M1", "module:M2+M3+M4+M5"), counted over the cycles of those modules only.
 * '' is the indicator as a whole. A dimension is written in one canonical form (module codes
 * upper-case, sorted, joined by "+"), so the form and the import name the same part the same way.
 */

export type SexDimension = "women" | "men" | "women_share";
export const SEX_DIMENSIONS: readonly SexDimension[] = ["women_share", "women", "men"];

const MODULE_PREFIX = "module:";

export function bySex(def: Pick<IndicatorDefinition, "unit" | "source">): boolean {
  return def.unit === "people" && def.source === "computed";
}

export function byModule(def: Pick<IndicatorDefinition, "key">): boolean {
  return def.key === "non_ilo_cost_share";
}

/** The module codes of a module dimension, or null when it is not one. */
export function modulesOf(dimension: string): string[] | null {
  if (!dimension.startsWith(MODULE_PREFIX)) return null;
  return dimension.slice(MODULE_PREFIX.length).split("+");
}

export function moduleDimension(codes: string[]): string {
  return `${MODULE_PREFIX}${[...new Set(codes.map((c) => c.trim().toUpperCase()))].sort().join("+")}`;
}

/**
 * A dimension as typed ("", "women", "module:m2+M1", "M1+M2" for a module indicator) in its
 * canonical form, or a message key saying why the indicator has no such part.
 */
export function readDimension(
  def: Pick<IndicatorDefinition, "key" | "unit" | "source">,
  raw: unknown,
  modules: readonly string[],
): { ok: true; value: string } | { ok: false; error: string } {
  const text = typeof raw === "string" ? raw.trim() : "";
  if (text === "") return { ok: true, value: "" };
  if ((SEX_DIMENSIONS as readonly string[]).includes(text.toLowerCase())) {
    return bySex(def) ? { ok: true, value: text.toLowerCase() } : { ok: false, error: "indicators.error.dimension" };
  }
  if (!byModule(def)) return { ok: false, error: "indicators.error.dimension" };
  const codes = (text.toLowerCase().startsWith(MODULE_PREFIX) ? text.slice(MODULE_PREFIX.length) : text)
    .split(/[+,;\s]+/)
    .filter(Boolean)
    .map((c) => c.toUpperCase());
  if (codes.length === 0 || codes.some((c) => !modules.includes(c))) return { ok: false, error: "indicators.error.module" };
  return { ok: true, value: moduleDimension(codes) };
}

/** The unit a part's figures are in: counts of women or men are people, their share a percentage. */
export function dimensionUnit(def: Pick<IndicatorDefinition, "unit">, dimension: string): IndicatorUnit {
  if (dimension === "women_share") return "percent";
  return def.unit;
}

/** The actual of one part of a computed indicator, from what the database counted for the country. */
export function countedPart(def: IndicatorDefinition, dimension: string, counts: CountryCounts): CountedActual | null {
  const people =
    def.key === "partner_staff_trained" ? counts.trained : def.key === "national_expert_trainers" ? counts.experts : null;
  if (people && bySex(def)) {
    const men = people.people - people.women;
    if (dimension === "women") return { kind: "computed", unit: "people", value: people.women, recordCount: people.women };
    if (dimension === "men") return { kind: "computed", unit: "people", value: men, recordCount: men };
    if (dimension === "women_share")
      return {
        kind: "computed",
        unit: "percent",
        value: percentOf(BigInt(people.women), BigInt(people.people)),
        recordCount: people.people,
      };
  }
  const modules = modulesOf(dimension);
  if (modules && byModule(def)) {
    const sums = new Map<string, { currency: string; cost: bigint; nonIlo: bigint; cycles: number }>();
    for (const m of counts.costPerModule) {
      if (!modules.includes(m.module)) continue;
      const s = sums.get(m.currency) ?? { currency: m.currency, cost: 0n, nonIlo: 0n, cycles: 0 };
      s.cost += m.cost;
      s.nonIlo += m.nonIlo;
      s.cycles += m.cycles;
      sums.set(m.currency, s);
    }
    const list = [...sums.values()];
    return { kind: "computed", unit: "percent", ...shareOf(list), recordCount: list.reduce((n, s) => n + s.cycles, 0) };
  }
  return null;
}
