/**
 * The verified records of one institution that gate rules are computed from. Loaded from the
 * database by the pages and by the workflow's activity; plain JSON so it can cross into workflow
 * history. Dates are ISO `YYYY-MM-DD` strings.
 */

export const FUNDING_SOURCES = ["enterprise_fee", "institution_funds", "government", "sponsor", "other_donor", "ilo"] as const;
export type FundingSource = (typeof FUNDING_SOURCES)[number];
export type FundingSplit = Record<FundingSource, number>;

export const FUNDING_SOURCE_LABELS: Record<FundingSource, string> = {
  enterprise_fee: "Enterprise fees",
  institution_funds: "Institution's own funds",
  government: "Government",
  sponsor: "Sponsors and lead buyers",
  other_donor: "Other donors",
  ilo: "ILO",
};

export type Sex = "female" | "male";

export interface TrainerRecord {
  id: string;
  sex: Sex;
  nationalExpert: boolean;
  trainedOn: string | null;
  lastActiveOn: string | null;
  certifications: { module: string; certifiedOn: string; expiresOn: string }[];
}

export interface CycleRecord {
  module: string;
  endedOn: string;
  /** Amounts in minor units of the institution's currency. */
  funding: FundingSplit;
  iloStaffInvolved: boolean;
}

export interface FundingCommitmentRecord {
  kind: "government_budget_line" | "multi_year_sponsor";
  startsOn: string;
  endsOn: string | null;
}

export const READINESS_DIMENSIONS = ["technical", "institutional", "financial"] as const;
export type ReadinessDimension = (typeof READINESS_DIMENSIONS)[number];

/**
 * The ILO's official readiness assessment (the scorecard): for each dimension, the mean of its
 * criteria's scores on the 1–4 scale, or null where none was scored. The institution's own
 * self-assessment is shown beside it on the pages but never counts towards a gate.
 */
export interface ReadinessRecord {
  assessedOn: string;
  means: Record<ReadinessDimension, number | null>;
}

export interface PathwayRecords {
  mouSignedOn: string | null;
  scoreInPortfolio: boolean;
  businessPlanAdoptedOn: string | null;
  trainers: TrainerRecord[];
  cycles: CycleRecord[];
  commitments: FundingCommitmentRecord[];
  /** Absent in records loaded before the scorecard existed (recorded workflow histories). */
  readiness?: ReadinessRecord | null;
}

export const EMPTY_RECORDS: PathwayRecords = {
  mouSignedOn: null,
  scoreInPortfolio: false,
  businessPlanAdoptedOn: null,
  trainers: [],
  cycles: [],
  commitments: [],
  readiness: null,
};
