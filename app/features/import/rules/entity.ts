import type { Column, Problem } from "./columns";
import type { ValidRow } from "./validate";

/** What every import layout is checked against: the reference lists and what the database already holds. */
export interface ImportReference {
  countries: readonly string[];
  modules: readonly string[];
  phases: readonly string[];
  /** Institutions by institutionKey(country, name). */
  institutions: ReadonlyMap<string, { id: string; currency: string }>;
  /** Enterprises by enterpriseKey(institution id, name). */
  enterprises: ReadonlyMap<string, string>;
  /** Trainers by trainerKey(institution id, trainer code), for certifications. */
  trainers?: ReadonlyMap<string, string>;
  /** Each institution's pathway by institution id, for stage history. */
  pathways?: ReadonlyMap<string, InstitutionPathway>;
  /** Today (UTC, YYYY-MM-DD): history cannot be dated after it. */
  today?: string;
}

/** What a stage-history file is checked against for one institution. */
export interface InstitutionPathway {
  /** Its template's stages, in order. */
  stages: readonly { key: string; name: string }[];
  /** The stage it is at now. */
  current: string;
  /** The day it last reached each stage it has reached (YYYY-MM-DD, UTC), by stage key. */
  reached: Readonly<Record<string, string>>;
}

export type Cell = string | number | boolean | null;
export type ParsedRow = Record<string, Cell>;

export type RowProblem = Omit<Problem, "row">;

export interface EntitySpec {
  entity:
    | "institutions"
    | "trainers"
    | "enterprises"
    | "training_cycles"
    | "targets"
    | "certifications"
    | "mous"
    | "sponsors"
    | "stage_history"
    | "business_plans";
  columns(ref: Pick<ImportReference, "countries" | "modules" | "phases">): Column[];
  /** The columns that together name one record: a second row with the same values is a duplicate. */
  keyColumns: string[];
  /** Checks across columns and against the reference, once each cell is valid. */
  check?(row: ParsedRow, ref: ImportReference): RowProblem[];
  /** Checks across rows once every row passed its own checks (e.g. an institution's stages in date order). */
  checkAll?(rows: readonly ValidRow[], ref: ImportReference): Problem[];
  /** The row's values as stored, once every check passed (e.g. "40 %" → "40"). */
  finish?(row: ParsedRow): ParsedRow;
}

/** Names are matched with their spaces tidied: "Accra  Centre " is "Accra Centre". */
export const tidy = (s: string) => s.replace(/\s+/g, " ").trim();
export const institutionKey = (country: string, name: string) => `${country}|${tidy(name)}`;
export const enterpriseKey = (institutionId: string, name: string) => `${institutionId}|${tidy(name)}`;
export const trainerKey = (institutionId: string, code: string) => `${institutionId}|${tidy(code)}`;

export function naturalKey(spec: EntitySpec, row: ParsedRow): string {
  return spec.keyColumns.map((c) => (typeof row[c] === "string" ? tidy(row[c] as string) : String(row[c]))).join("|");
}

/** The institution a row names by its `country` and `institution` columns, or the problem saying it is unknown. */
export function institutionOf(row: ParsedRow, ref: ImportReference): { id: string; currency: string } | RowProblem {
  const found = ref.institutions.get(institutionKey(row.country as string, row.institution as string));
  return (
    found ?? {
      column: "institution",
      code: "import.problem.unknownInstitution",
      vars: { name: String(row.institution), country: String(row.country) },
    }
  );
}

export const isProblem = (x: unknown): x is RowProblem => typeof x === "object" && x !== null && "code" in x;
