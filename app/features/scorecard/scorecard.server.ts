import { localiseTemplate } from "~/i18n/template-labels";
import type { Kysely } from "kysely";
import { readinessScore } from "../../domain/gate";
import { EMPTY_RECORDS, READINESS_DIMENSIONS } from "../../domain/records";
import { compareAssessments, dimensionMeans, readinessFromAssessment, type AssessmentKind } from "./scorecard";
import { getTemplate, type getInstitution } from "../../../db/queries/institutions";
import {
  evidenceNames,
  latestOfEach,
  linkableEvidence,
  listAssessments,
  type StoredAssessment,
} from "../../../db/queries/scorecard";
import type { Database } from "../../../db/schema";
import { can, type Actor } from "../../platform/access.server";

type InstitutionRow = NonNullable<Awaited<ReturnType<typeof getInstitution>>>;

/**
 * Which assessment this actor may record for this institution: its own reporter records the
 * self-assessment; an ILO administrator, or an ILO officer of its country, records the ILO's.
 * Everybody else (viewers, programme managers, officers of other countries) reads only.
 */
export function assessorKind(actor: Actor, institution: InstitutionRow): AssessmentKind | null {
  if (actor.role === "institution_reporter") return can(actor, "report", institution) ? "self" : null;
  if (actor.role === "ilo_admin" || actor.role === "ilo_officer") return can(actor, "decide", institution) ? "ilo" : null;
  return null;
}

function summary(a: StoredAssessment | null, weights: Parameters<typeof readinessScore>[1]) {
  if (!a) return null;
  return {
    id: a.id,
    kind: a.kind,
    assessedBy: a.assessedBy,
    assessedOn: a.assessedOn,
    scores: a.scores,
    means: dimensionMeans(a.scores),
    score: readinessScore({ ...EMPTY_RECORDS, readiness: readinessFromAssessment(a) }, weights).value,
  };
}

/** Everything the assessment page shows, for one institution the actor may see. */
export async function loadAssessmentPage(db: Kysely<Database>, institution: InstitutionRow, actor: Actor, locale?: string) {
  const stored = await getTemplate(db, institution.template_id);
  const template = locale ? localiseTemplate(stored, locale) : stored;
  const weights = template.definition.readinessWeights;
  const list = await listAssessments(db, institution.id);
  const latest = latestOfEach(list);
  const kind = assessorKind(actor, institution);
  const linked = list.flatMap((a) => Object.values(a.scores).flatMap((s) => s.evidence));
  const [names, linkable] = await Promise.all([
    evidenceNames(db, institution.id, linked),
    kind ? linkableEvidence(db, institution.id) : Promise.resolve([]),
  ]);
  return {
    institution: { id: institution.id, name: institution.name, countryName: institution.country_name },
    template: { name: template.name, version: template.version },
    weights: Object.fromEntries(READINESS_DIMENSIONS.map((d) => [d, weights[d]])) as typeof weights,
    /** The gates of the template that read the readiness score, with their thresholds. */
    gates: template.definition.stages.flatMap((s) =>
      s.gate.filter((c) => c.metric === "readiness_score").map((c) => ({ stageName: s.name, threshold: c.threshold })),
    ),
    self: summary(latest.self, weights),
    ilo: summary(latest.ilo, weights),
    gaps: compareAssessments(latest.self?.scores ?? null, latest.ilo?.scores ?? null),
    history: list.map((a) => ({
      id: a.id,
      kind: a.kind,
      assessedBy: a.assessedBy,
      assessedOn: a.assessedOn,
      means: dimensionMeans(a.scores),
      current: a.id === latest.self?.id || a.id === latest.ilo?.id,
    })),
    evidenceNames: Object.fromEntries(names),
    kind,
    linkable: linkable.map((e) => ({ id: e.id, fileName: e.fileName, reportKind: e.reportKind })),
  };
}
