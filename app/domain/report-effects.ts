import { addMonths } from "./dates";
import type { FundingSplit, PathwayRecords, Sex } from "./records";
import type { ReportBody } from "./reports";

/**
 * What a verified report writes, said once. `reportEffects` turns a report into a list of
 * effects; the database writes them (db/queries/report-effects.ts), the report form's preview
 * applies them to the loaded records (`applyReportEffects`) and the demo seed builds its rows from
 * them. Every effect that creates a record carries an id made from the report id and the
 * effect's key, so applying the same report twice names the same records and writes them once.
 *
 * Pure and free of Node built-ins: the workflow bundle reaches this module through reports.ts.
 */

export type EnterpriseSize = "micro" | "small" | "medium" | "large";

interface EffectBase {
  /** Names the effect within its report: "cohort", "trainer:3", "cycle"… */
  key: string;
  /** The record's id: `effectId(reportId, key)` unless the caller chose its own ids (the demo seed). */
  id: string;
  institutionId: string;
}

export interface TotCohortAdded extends EffectBase {
  type: "tot_cohort_added";
  module: string;
  startedOn: string;
  endedOn: string;
  sourceReportId: string | null;
}

export interface TrainerAdded extends EffectBase {
  type: "trainer_added";
  name: string;
  sex: Sex;
  cohortId: string;
  trainedOn: string;
  lastActiveOn: string;
}

/** Raises what is known of an existing trainer: never lowers `lastActiveOn`, never unsets the expert flag. */
export interface TrainerUpdated extends EffectBase {
  type: "trainer_updated";
  trainerId: string;
  /** The trainer was active on this day: `last_active_on` becomes the later of it and the stored day. */
  activeOn: string;
  nationalExpert: boolean;
}

export interface CertificationAdded extends EffectBase {
  type: "certification_added";
  trainerId: string;
  module: string;
  certifiedOn: string;
  expiresOn: string;
  sourceReportId: string | null;
}

/** Every certificate of the trainer in the module still valid after `lapsedOn` now ends that day. */
export interface CertificationsLapsed extends EffectBase {
  type: "certifications_lapsed";
  trainerId: string;
  module: string;
  lapsedOn: string;
}

/** An enterprise is one per institution and name: a second report about it updates what it says. */
export interface EnterpriseUpserted extends EffectBase {
  type: "enterprise_upserted";
  name: string;
  size: EnterpriseSize;
  /** Absent: the report does not say, and a stored value is kept. */
  sector?: string;
  workersFemale?: number;
  workersMale?: number;
}

export interface TrainingCycleAdded extends EffectBase {
  type: "training_cycle_added";
  module: string;
  /** The enterprise by its name: its id is whichever record holds that name for the institution. */
  enterpriseName: string;
  startedOn: string;
  endedOn: string;
  visits: number;
  participants: { managersFemale: number; managersMale: number; workersFemale: number; workersMale: number };
  currency: string;
  /** Minor units of `currency`. */
  cost: number;
  funding: FundingSplit;
  iloStaffInvolved: boolean;
  sourceReportId: string | null;
}

export interface InstitutionUpdated extends EffectBase {
  type: "institution_updated";
  set: { mouSignedOn?: string; scoreInPortfolio?: true; businessPlanAdoptedOn?: string };
}

export interface FundingCommitmentAdded extends EffectBase {
  type: "funding_commitment_added";
  kind: "government_budget_line" | "multi_year_sponsor";
  funder: string;
  startsOn: string;
  endsOn: string | null;
  sourceReportId: string | null;
}

export type ReportEffect =
  | TotCohortAdded
  | TrainerAdded
  | TrainerUpdated
  | CertificationAdded
  | CertificationsLapsed
  | EnterpriseUpserted
  | TrainingCycleAdded
  | InstitutionUpdated
  | FundingCommitmentAdded;
export type ReportEffectType = ReportEffect["type"];

/** A verified report: its id, whose it is and what it says. */
export type VerifiedReport = { reportId: string; institutionId: string } & ReportBody;

export interface ReportEffectRules {
  certificationValidityMonths: number;
  /** The institution's currency: training cycles are costed in it. */
  currency: string;
  /** Ids of the records the effects create, by effect key; the default is `effectId(reportId, key)`. */
  idFor?: (key: string) => string;
}

/** The report names a record its institution does not have (a trainer of another institution, say). */
export class ReportNotApplicableError extends Error {
  readonly reportId: string;
  readonly field: string;
  constructor(reportId: string, field: string, detail = "it names a record this institution does not have") {
    super(detail);
    this.name = "ReportNotApplicableError";
    this.reportId = reportId;
    this.field = field;
  }
}

/**
 * The effects of verifying `report`, given the institution's records as they stand. Throws
 * ReportNotApplicableError when a certification names a trainer the records do not hold.
 */
export function reportEffects(report: VerifiedReport, records: PathwayRecords, rules: ReportEffectRules): ReportEffect[] {
  const { reportId, institutionId } = report;
  const id = rules.idFor ?? ((key: string) => effectId(reportId, key));
  const base = (key: string) => ({ key, id: id(key), institutionId });
  const trainer = (trainerId: string) => {
    const t = records.trainers.find((x) => x.id === trainerId);
    if (!t) throw new ReportNotApplicableError(reportId, "payload.trainerId");
    return t;
  };
  switch (report.kind) {
    case "tot_cohort": {
      const p = report.payload;
      const cohort: TotCohortAdded = {
        ...base("cohort"),
        type: "tot_cohort_added",
        module: p.module,
        startedOn: p.startedOn,
        endedOn: p.endedOn,
        sourceReportId: reportId,
      };
      return [
        cohort,
        ...p.trainers.map((t, i): TrainerAdded => ({
          ...base(`trainer:${i}`),
          type: "trainer_added",
          name: t.name,
          sex: t.sex,
          cohortId: cohort.id,
          trainedOn: p.endedOn,
          lastActiveOn: p.endedOn,
        })),
      ];
    }
    case "trainer_certified": {
      const p = report.payload;
      const t = trainer(p.trainerId);
      return [
        {
          ...base("certification"),
          type: "certification_added",
          trainerId: t.id,
          module: p.module,
          certifiedOn: p.certifiedOn,
          expiresOn: addMonths(p.certifiedOn, rules.certificationValidityMonths),
          sourceReportId: reportId,
        },
        // Being certified counts as activity.
        {
          ...base("trainer"),
          type: "trainer_updated",
          trainerId: t.id,
          activeOn: p.certifiedOn,
          nationalExpert: p.nationalExpert,
        },
      ];
    }
    case "trainer_lapsed": {
      // Lapsing what the institution does not hold ends nothing: verified, it changes no record.
      const p = report.payload;
      return [
        { ...base("lapse"), type: "certifications_lapsed", trainerId: p.trainerId, module: p.module, lapsedOn: p.lapsedOn },
      ];
    }
    case "training_cycle": {
      const p = report.payload;
      return [
        { ...base("enterprise"), type: "enterprise_upserted", name: p.enterpriseName, size: p.enterpriseSize },
        {
          ...base("cycle"),
          type: "training_cycle_added",
          module: p.module,
          enterpriseName: p.enterpriseName,
          startedOn: p.startedOn,
          endedOn: p.endedOn,
          visits: p.visits,
          participants: { ...p.participants },
          currency: rules.currency,
          cost: p.cost,
          funding: { ...p.funding },
          iloStaffInvolved: p.iloStaffInvolved,
          sourceReportId: reportId,
        },
      ];
    }
    case "enterprise_reached": {
      const p = report.payload;
      return [
        {
          ...base("enterprise"),
          type: "enterprise_upserted",
          name: p.name,
          size: p.size,
          sector: p.sector,
          workersFemale: p.workersFemale,
          workersMale: p.workersMale,
        },
      ];
    }
    case "mou_signed":
      return [{ ...base("institution"), type: "institution_updated", set: { mouSignedOn: report.payload.signedOn } }];
    case "score_in_portfolio":
      return [{ ...base("institution"), type: "institution_updated", set: { scoreInPortfolio: true } }];
    case "business_plan_adopted":
      return [{ ...base("institution"), type: "institution_updated", set: { businessPlanAdoptedOn: report.payload.adoptedOn } }];
    case "funding_secured": {
      const p = report.payload;
      return [
        {
          ...base("commitment"),
          type: "funding_commitment_added",
          kind: p.kind,
          funder: p.funder,
          startsOn: p.startsOn,
          endsOn: p.endsOn,
          sourceReportId: reportId,
        },
      ];
    }
  }
}

const later = (a: string | null, b: string) => (a === null || a < b ? b : a);

/**
 * The records as they are once `effects` are written: what the preview shows and the gate rules
 * read. Mirrors writeReportEffects: a record already present (same id, or for certificates the
 * same trainer, module and day) is not added again.
 */
export function applyReportEffects(records: PathwayRecords, effects: readonly ReportEffect[]): PathwayRecords {
  let out: PathwayRecords = records;
  const mapTrainer = (trainerId: string, f: (t: PathwayRecords["trainers"][number]) => PathwayRecords["trainers"][number]) => {
    out = { ...out, trainers: out.trainers.map((t) => (t.id === trainerId ? f(t) : t)) };
  };
  for (const e of effects) {
    switch (e.type) {
      case "trainer_added":
        if (out.trainers.some((t) => t.id === e.id)) break;
        out = {
          ...out,
          trainers: [
            ...out.trainers,
            {
              id: e.id,
              sex: e.sex,
              nationalExpert: false,
              trainedOn: e.trainedOn,
              lastActiveOn: e.lastActiveOn,
              certifications: [],
            },
          ],
        };
        break;
      case "trainer_updated":
        mapTrainer(e.trainerId, (t) => ({
          ...t,
          nationalExpert: t.nationalExpert || e.nationalExpert,
          lastActiveOn: later(t.lastActiveOn, e.activeOn),
        }));
        break;
      case "certification_added":
        mapTrainer(e.trainerId, (t) =>
          t.certifications.some((c) => c.module === e.module && c.certifiedOn === e.certifiedOn)
            ? t
            : {
                ...t,
                certifications: [...t.certifications, { module: e.module, certifiedOn: e.certifiedOn, expiresOn: e.expiresOn }],
              },
        );
        break;
      case "certifications_lapsed":
        mapTrainer(e.trainerId, (t) => ({
          ...t,
          certifications: t.certifications.map((c) =>
            c.module === e.module && c.expiresOn > e.lapsedOn ? { ...c, expiresOn: e.lapsedOn } : c,
          ),
        }));
        break;
      case "training_cycle_added":
        out = {
          ...out,
          cycles: [
            ...out.cycles,
            { module: e.module, endedOn: e.endedOn, funding: { ...e.funding }, iloStaffInvolved: e.iloStaffInvolved },
          ],
        };
        break;
      case "institution_updated":
        out = {
          ...out,
          ...(e.set.mouSignedOn !== undefined ? { mouSignedOn: e.set.mouSignedOn } : {}),
          ...(e.set.scoreInPortfolio ? { scoreInPortfolio: true } : {}),
          ...(e.set.businessPlanAdoptedOn !== undefined ? { businessPlanAdoptedOn: e.set.businessPlanAdoptedOn } : {}),
        };
        break;
      case "funding_commitment_added":
        out = { ...out, commitments: [...out.commitments, { kind: e.kind, startsOn: e.startsOn, endsOn: e.endsOn }] };
        break;
      case "tot_cohort_added":
      case "enterprise_upserted":
        // Not part of the records gate rules read.
        break;
    }
  }
  return out;
}

// ---------------------------------------------------------------- ids

/**
 * The id of the record an effect creates: a name-based UUID (RFC 4122 version 5: SHA-1 of the
 * report id as namespace and the effect key as name). The same report and key give the same id
 * in every process, so a retried or repeated write finds its record already there.
 */
export function effectId(reportId: string, key: string): string {
  const ns = uuidBytes(reportId);
  const h = sha1([...ns, ...utf8(key)]);
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h
    .slice(0, 16)
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function uuidBytes(uuid: string): number[] {
  const hex = uuid.replaceAll("-", "").toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`Not a UUID: ${uuid}`);
  return Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
}

function utf8(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return out;
}

/** SHA-1 of a byte list (FIPS 180-4), returned as 20 bytes. Small inputs only: ids, not files. */
function sha1(bytes: number[]): number[] {
  const msg = [...bytes, 0x80];
  while (msg.length % 64 !== 56) msg.push(0);
  const bits = bytes.length * 8;
  for (let i = 7; i >= 0; i--) msg.push(i >= 4 ? Math.floor(bits / 2 ** (i * 8)) & 0xff : (bits >>> (i * 8)) & 0xff);
  let [h0, h1, h2, h3, h4] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];
  const w = new Array<number>(80);
  const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));
  for (let off = 0; off < msg.length; off += 64) {
    for (let i = 0; i < 16; i++)
      w[i] = (msg[off + i * 4] << 24) | (msg[off + i * 4 + 1] << 16) | (msg[off + i * 4 + 2] << 8) | msg[off + i * 4 + 3];
    for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    let [a, b, c, d, e] = [h0, h1, h2, h3, h4];
    for (let i = 0; i < 80; i++) {
      const [f, k] =
        i < 20
          ? [(b & c) | (~b & d), 0x5a827999]
          : i < 40
            ? [b ^ c ^ d, 0x6ed9eba1]
            : i < 60
              ? [(b & c) | (b & d) | (c & d), 0x8f1bbcdc]
              : [b ^ c ^ d, 0xca62c1d6];
      const t = (rotl(a, 5) + f + e + k + w[i]) | 0;
      [e, d, c, b, a] = [d, c, rotl(b, 30), a, t];
    }
    [h0, h1, h2, h3, h4] = [(h0 + a) | 0, (h1 + b) | 0, (h2 + c) | 0, (h3 + d) | 0, (h4 + e) | 0];
  }
  return [h0, h1, h2, h3, h4].flatMap((x) => [(x >>> 24) & 0xff, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff]);
}
