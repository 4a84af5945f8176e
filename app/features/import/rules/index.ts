import { businessPlansImport } from "./business-plans";
import { certificationsImport } from "./certifications";
import { cyclesImport } from "./cycles";
import { enterprisesImport } from "./enterprises";
import type { EntitySpec } from "./entity";
import { institutionsImport } from "./institutions";
import { mousImport } from "./mous";
import { sponsorsImport } from "./sponsors";
import { stageHistoryImport } from "./stage-history";
import { targetsImport } from "./targets";
import { trainersImport } from "./trainers";

/** The import layouts, in the order a programme loads its data (each may name those before it). */
export const IMPORT_SPECS: Record<EntitySpec["entity"], EntitySpec> = {
  institutions: institutionsImport,
  enterprises: enterprisesImport,
  trainers: trainersImport,
  training_cycles: cyclesImport,
  certifications: certificationsImport,
  mous: mousImport,
  sponsors: sponsorsImport,
  business_plans: businessPlansImport,
  stage_history: stageHistoryImport,
  targets: targetsImport,
};
export type ImportEntityName = keyof typeof IMPORT_SPECS;
export const IMPORT_ENTITIES = Object.keys(IMPORT_SPECS) as ImportEntityName[];
export const isImportEntity = (v: unknown): v is ImportEntityName => typeof v === "string" && v in IMPORT_SPECS;
