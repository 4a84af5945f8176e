import type { ColumnType, Generated, Insertable, Selectable } from "kysely";
import type { FloorFailure, GateResult } from "../app/domain/gate";
import type { Message } from "../app/i18n/message";

/** One interface per table, as the database holds it. Dates are ISO strings (`YYYY-MM-DD`). */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type InstitutionType = "government_training" | "employers_organisation" | "industry_association" | "private_provider";
export type InstitutionRole = "national_coordinator" | "implementing_partner" | "sponsor";
export type ReportStatus = "submitted" | "verified" | "returned" | "rejected";

export interface SlipFlag {
  toStage: string;
  reason: string;
  /** The reason as a message key and values (flags raised since migration 011); pages render it. */
  reasonMessage?: Message;
  flaggedAt: string;
}

export interface CountriesTable {
  code: string;
  name: string;
  currency: string;
  /** Whether /results/<country> is public (an administrator opts the country in). */
  results_published: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface ModulesTable {
  code: string;
  name: string;
  sort_order: number;
  description: ColumnType<string, string | undefined, string>;
  /** The module's name per language code (`es`, `fr`…), migration 019; the `name` is the default language's. */
  labels: ColumnType<Record<string, string>, string | undefined, string>;
}

export interface PathwayTemplatesTable {
  id: string;
  key: string;
  version: number;
  name: string;
  country_code: string | null;
  definition: Json<unknown>;
  created_at: Generated<Date>;
  status: ColumnType<TemplateStatus, TemplateStatus | undefined, TemplateStatus>;
  created_by: ColumnType<string, string | undefined, string>;
  published_by: string | null;
  published_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  notes: ColumnType<string, string | undefined, string>;
}

export type TemplateStatus = "draft" | "published" | "retired";

/** A running institution moved to another template version (migration 007). */
export interface TemplateMovesTable {
  id: string;
  institution_id: string;
  from_template_id: string;
  to_template_id: string;
  stage_key: string;
  reason: string;
  decided_by: string;
  occurred_at: Date;
}

export interface InstitutionsTable {
  id: string;
  name: string;
  type: InstitutionType;
  role: InstitutionRole;
  country_code: string;
  currency: string;
  status: ColumnType<"active" | "discontinued", "active" | "discontinued" | undefined>;
  template_id: string;
  stage_key: string;
  stage_entered_at: Timestamp;
  mou_signed_on: string | null;
  score_in_portfolio: ColumnType<boolean, boolean | undefined, boolean>;
  business_plan_adopted_on: string | null;
  slip_flag: ColumnType<SlipFlag | null, string | null, string | null>;
  last_report_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  created_at: Generated<Date>;
}

export interface MilestoneReportsTable {
  id: string;
  institution_id: string;
  kind: string;
  payload: Json<unknown>;
  evidence: Json<{ label: string; reference: string }[]>;
  status: ReportStatus;
  submitted_by: string;
  submitted_at: Timestamp;
  decided_by: string | null;
  decided_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  decision_comment: string | null;
  escalated_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  revision: ColumnType<number, number | undefined, number>;
}

export interface TotCohortsTable {
  id: string;
  institution_id: string;
  module_code: string;
  started_on: string;
  ended_on: string;
  source_report_id: string | null;
}

export interface TrainersTable {
  id: string;
  institution_id: string;
  name: string;
  sex: "female" | "male";
  national_expert: ColumnType<boolean, boolean | undefined, boolean>;
  tot_cohort_id: string | null;
  trained_on: string | null;
  last_active_on: string | null;
}

export interface TrainerCertificationsTable {
  id: string;
  trainer_id: string;
  module_code: string;
  certified_on: string;
  expires_on: string;
  source_report_id: string | null;
}

export interface EnterprisesTable {
  id: string;
  institution_id: string;
  name: string;
  size: "micro" | "small" | "medium" | "large";
  sector: string;
  workers_female: number;
  workers_male: number;
}

export interface TrainingCyclesTable {
  id: string;
  institution_id: string;
  module_code: string;
  enterprise_id: string;
  started_on: string;
  ended_on: string;
  visits: number;
  managers_female: number;
  managers_male: number;
  workers_female: number;
  workers_male: number;
  currency: string;
  cost_minor: number;
  fund_enterprise_fee: number;
  fund_institution_funds: number;
  fund_government: number;
  fund_sponsor: number;
  fund_other_donor: number;
  fund_ilo: number;
  ilo_staff_involved: boolean;
  source_report_id: string | null;
}

export interface FundingCommitmentsTable {
  id: string;
  institution_id: string;
  kind: "government_budget_line" | "multi_year_sponsor";
  funder: string;
  starts_on: string;
  ends_on: string | null;
  source_report_id: string | null;
}

export interface StageTransitionsTable {
  id: string;
  institution_id: string;
  from_stage: string | null;
  to_stage: string;
  kind: "start" | "advance" | "slip_back";
  reason: ColumnType<string, string | undefined, string>;
  /** The reason as a message key, when the workflow wrote it (a slip back's floor); null for an officer's own words. */
  reason_key: ColumnType<string | null, string | null | undefined, string | null>;
  reason_params: ColumnType<Message["params"] | null, string | null | undefined, string | null>;
  decided_by: string;
  occurred_at: Timestamp;
  /** The import batch that wrote or re-dated this transition (migration 016); null for a move made here. */
  import_batch_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface NotificationsTable {
  id: string;
  institution_id: string;
  kind: string;
  audience: "ilo" | "institution";
  /** English, as written; pages render message_key with message_params (null for rows with no recognisable text). */
  message: string;
  message_key: ColumnType<string | null, string | null | undefined, string | null>;
  message_params: ColumnType<Message["params"] | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  read_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

export interface AuditLogTable {
  id: Generated<number>;
  occurred_at: Timestamp;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  institution_id: string | null;
  before: ColumnType<unknown, string | null, never>;
  after: ColumnType<unknown, string | null, never>;
}

export type UserRole = "ilo_admin" | "ilo_officer" | "programme_manager" | "institution_reporter" | "viewer";

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  institution_id: string | null;
  countries: ColumnType<string[], string | undefined, string>;
  password_hash: string | null;
  status: ColumnType<"active" | "disabled", "active" | "disabled" | undefined>;
  created_at: Generated<Date>;
  /** The user's chosen language (see app/i18n/locales.ts); null follows the browser. */
  locale: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ProgrammePhasesTable {
  key: string;
  name: string;
  starts_on: ColumnType<string, string, string>;
  ends_on: ColumnType<string, string, string>;
}

export interface IndicatorTargetsTable {
  id: string;
  indicator_key: string;
  country: string;
  phase_key: string;
  /** The part of the indicator the target is for ('' the whole; migration 017): women, men, women_share, module:M1+M2. */
  dimension: ColumnType<string, string | undefined, string>;
  /** numeric: read as a string to keep its exact decimal value; null for a qualitative target. */
  target: ColumnType<string | null, string | number | null, string | number | null>;
  /** A qualitative target (text) instead of a figure. */
  target_text: ColumnType<string | null, string | null | undefined, string | null>;
  note: ColumnType<string, string | undefined, string>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  user_agent: ColumnType<string, string | undefined, string>;
  ip: ColumnType<string, string | undefined, string>;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  email: string;
  ip: string;
  succeeded: boolean;
  at: Timestamp;
}

export interface PasswordResetTokensTable {
  id: string;
  user_id: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface EvidenceFilesTable {
  id: string;
  institution_id: string;
  report_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_by: string;
  created_at: Timestamp;
}

export interface NotificationReadsTable {
  user_id: string;
  notification_id: string;
  read_at: Timestamp;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 of the token; the token itself is shown once and never stored. */
  token_hash: string;
  prefix: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** One token's API requests in one clock minute, shared by every web process (migration 024). */
export interface ApiRateWindowsTable {
  token_id: string;
  window_start: Timestamp;
  count: number;
}

export interface IndicatorPublicationTable {
  indicator_key: string;
  published: boolean;
  updated_by: string;
  updated_at: Timestamp;
}

export interface Database {
  api_tokens: ApiTokensTable;
  api_rate_windows: ApiRateWindowsTable;
  indicator_publication: IndicatorPublicationTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  password_reset_tokens: PasswordResetTokensTable;
  evidence_files: EvidenceFilesTable;
  notification_reads: NotificationReadsTable;
  countries: CountriesTable;
  modules: ModulesTable;
  pathway_templates: PathwayTemplatesTable;
  template_moves: TemplateMovesTable;
  programme_phases: ProgrammePhasesTable;
  indicator_targets: IndicatorTargetsTable;
  institutions: InstitutionsTable;
  milestone_reports: MilestoneReportsTable;
  tot_cohorts: TotCohortsTable;
  trainers: TrainersTable;
  trainer_certifications: TrainerCertificationsTable;
  enterprises: EnterprisesTable;
  training_cycles: TrainingCyclesTable;
  funding_commitments: FundingCommitmentsTable;
  stage_transitions: StageTransitionsTable;
  notifications: NotificationsTable;
  audit_log: AuditLogTable;
}

export type Institution = Selectable<InstitutionsTable>;
export type NewInstitution = Insertable<InstitutionsTable>;
export type MilestoneReportRow = Selectable<MilestoneReportsTable>;
export type StageTransition = Selectable<StageTransitionsTable>;
export type User = Selectable<UsersTable>;

// ---- Handover planning (migration 003) ----------------------------------------------------------

export type HandoverPlanStatus = "draft" | "submitted" | "returned" | "approved" | "active" | "closed";

export interface HandoverPlansTable {
  id: string;
  institution_id: string;
  name: string;
  currency: string;
  /** The stated rate to USD as a fraction: usd_rate_num / usd_rate_den dollars per unit (bigint, read as a number: see create-db.ts). */
  usd_rate_num: number;
  usd_rate_den: number;
  exit_year: number;
  variance_threshold_pp: ColumnType<number, number | undefined, number>;
  status: ColumnType<HandoverPlanStatus, HandoverPlanStatus | undefined, HandoverPlanStatus>;
  scenario_of: string | null;
  review_comment: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface HandoverPlanYearsTable {
  plan_id: string;
  year: number;
  lines: Json<unknown>;
  funding: Json<unknown>;
}

/** Declaration merging adds the handover tables to `Database` without touching its declaration above. */
export interface Database {
  handover_plans: HandoverPlansTable;
  handover_plan_years: HandoverPlanYearsTable;
}

// ---- Readiness scorecard (migration 006) ---------------------------------------------------------

export interface ReadinessAssessmentsTable {
  id: string;
  institution_id: string;
  kind: "self" | "ilo";
  /** The assessor's name, as other tables record who did what. */
  assessed_by: string;
  assessed_by_user_id: string | null;
  assessed_on: string;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ReadinessScoresTable {
  assessment_id: string;
  criterion_key: string;
  score: number;
  comment: ColumnType<string, string | undefined, string>;
}

export interface ReadinessEvidenceLinksTable {
  assessment_id: string;
  criterion_key: string;
  evidence_file_id: string;
}

export interface Database {
  readiness_assessments: ReadinessAssessmentsTable;
  readiness_scores: ReadinessScoresTable;
  readiness_evidence_links: ReadinessEvidenceLinksTable;
}

// ---- Logframe indicators (migration 008) --------------------------------------------------------

export interface IndicatorManualActualsTable {
  indicator_key: string;
  country: string;
  phase_key: string;
  /** numeric: read as a string to keep its exact decimal value; null when the actual is unknown. */
  value: ColumnType<string | null, string | number | null, string | number | null>;
  /** Entered as "unknown" (migration 017): never read as 0. */
  unknown: ColumnType<boolean, boolean | undefined, boolean>;
  /** A qualitative actual (text) instead of a figure. */
  value_text: ColumnType<string | null, string | null | undefined, string | null>;
  /** A link or document reference to the evidence behind the figure. */
  evidence: string;
  note: ColumnType<string, string | undefined, string>;
  entered_by: string | null;
  entered_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface IndicatorSettingsTable {
  key: string;
  value: Json<unknown>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The embedding indicator's definition for one phase (migration 017): a stage, the portfolio flag, or both. */
export interface IndicatorPhaseSettingsTable {
  phase_key: string;
  embedding_stage: string | null;
  embedding_portfolio_flag: ColumnType<boolean, boolean | undefined, boolean>;
  updated_by: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface Database {
  indicator_manual_actuals: IndicatorManualActualsTable;
  indicator_settings: IndicatorSettingsTable;
  indicator_phase_settings: IndicatorPhaseSettingsTable;
}

// ---- Bulk imports (migration 009) ---------------------------------------------------------------

export type ImportEntity =
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
export type ImportStatus = "invalid" | "checked" | "running" | "done" | "failed";

export interface ImportBatchesTable {
  id: string;
  entity: ImportEntity;
  file_name: string;
  file_type: "csv" | "xlsx";
  sha256: string;
  file: ColumnType<Uint8Array | null, Uint8Array | null | undefined, Uint8Array | null>;
  status: ImportStatus;
  rows: ColumnType<number, number | undefined, number>;
  created: ColumnType<number, number | undefined, number>;
  updated: ColumnType<number, number | undefined, number>;
  unchanged: ColumnType<number, number | undefined, number>;
  /** The dry run's problems as { row, column, code, vars } (the first few thousand). */
  problems: Json<unknown>;
  problem_count: ColumnType<number, number | undefined, number>;
  error: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: string;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** The columns migration 009 adds to existing tables, merged in like the handover tables. */
export interface TrainersTable {
  external_code: ColumnType<string | null, string | null | undefined, string | null>;
  import_batch_id: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface TrainingCyclesTable {
  external_code: ColumnType<string | null, string | null | undefined, string | null>;
  import_batch_id: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface EnterprisesTable {
  import_batch_id: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface InstitutionsTable {
  import_batch_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface Database {
  import_batches: ImportBatchesTable;
}

// ---- Pathway status, the gate read model (migration 010) -----------------------------------------

export interface InstitutionStatusTable {
  institution_id: string;
  stage_key: string;
  template_id: string;
  /** The stage the next gate leads to; null at the last stage. */
  next_stage_key: string | null;
  /** The evaluated next gate, each criterion with its value, threshold and basis. */
  next_gate: Json<GateResult | null>;
  criteria_met: number;
  criteria_total: number;
  progress: number;
  awaiting_sign_off: boolean;
  /** Floors of reached stages that fail today, as the evaluation found them. */
  failing_floors: Json<FloorFailure[]>;
  next_expiry_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** The template's reminder period, so "overdue on reporting" is a query, not an evaluation. */
  reminder_after_days: number;
  evaluated_at: Timestamp;
}

export interface Database {
  institution_status: InstitutionStatusTable;
}

// ---- Adoption: first administrator, currencies (migration 015) -----------------------------------

export interface SetupTokensTable {
  /** SHA-256 of the one-time link's token. */
  id: string;
  /** The first administrator's address, when the link was made for one. */
  email: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  used_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CurrenciesTable {
  code: string;
  /** ISO 4217 minor units (VND 0, USD 2). */
  minor_units: number;
  /** The decimals typed and shown (IDR 0 though ISO lists 2); amounts are stored in hundredths all the same. */
  digits_in_use: number;
}

export interface Database {
  setup_tokens: SetupTokensTable;
  currencies: CurrenciesTable;
}

/** An institution's memoranda of understanding, many per institution (migration 015). */
export interface InstitutionMousTable {
  id: string;
  institution_id: string;
  partner: string;
  signed_on: string;
  ends_on: ColumnType<string | null, string | null | undefined, string | null>;
  import_batch_id: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface TrainerCertificationsTable {
  import_batch_id: ColumnType<string | null, string | null | undefined, string | null>;
}
export interface FundingCommitmentsTable {
  import_batch_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface Database {
  institution_mous: InstitutionMousTable;
}

// ---- Stage history and business plans brought in (migration 016) ----------------------------------

/** An institution's business plans, one per plan period, with the day each was approved. */
export interface InstitutionBusinessPlansTable {
  id: string;
  institution_id: string;
  period: string;
  approved_on: string;
  note: ColumnType<string | null, string | null | undefined, string | null>;
  import_batch_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface Database {
  institution_business_plans: InstitutionBusinessPlansTable;
}

// ---- E-mail and work queues (migration 018) ------------------------------------------------------

export type EmailMode = "off" | "each" | "daily" | "weekly";

export interface UsersTable {
  /** How the user hears by e-mail: not at all, each notification, or a daily or weekly digest. */
  email_mode: ColumnType<EmailMode, EmailMode | undefined, EmailMode>;
}

export interface NotificationsTable {
  /** The report or plan the notification is about: acting on it resolves the notification. */
  subject_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The app path the notification points to (the institution's page when null). */
  link: ColumnType<string | null, string | null | undefined, string | null>;
  resolved_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When its e-mails were queued (null: not yet). */
  mailed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export type MailKind = "notification" | "daily" | "weekly";
export type MailStatus = "pending" | "sent" | "kept";

export interface MailMessagesTable {
  /** The idempotency key: `n:<notification>:<user>` or `digest:<period>:<day>:<user>`. */
  id: string;
  kind: MailKind;
  user_id: string;
  notification_id: ColumnType<string | null, string | null | undefined, string | null>;
  to_address: string;
  locale: string;
  subject: string;
  body_text: string;
  message_id: string;
  status: ColumnType<MailStatus, MailStatus | undefined, MailStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
  sent_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface MailDigestRunsTable {
  period: "daily" | "weekly";
  day: string;
  made_at: Timestamp;
  messages: number;
}

export interface Database {
  mail_messages: MailMessagesTable;
  mail_digest_runs: MailDigestRunsTable;
}

/** Transactions that wrote what the aggregate pages count (migration 021, decision 030; `records` false: the stored status only, migration 025, decision 038); only SQL reads it. */
export interface ReadModelChangesTable {
  xid: string;
  noted_at: Generated<Date>;
  records: Generated<boolean>;
}

export interface Database {
  read_model_changes: ReadModelChangesTable;
}
