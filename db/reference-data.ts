import type { Kysely } from "kysely";
import { TemplateDefinitionSchema, type TemplateDefinition } from "../app/domain/template";
import { ISO_4217 } from "../app/domain/currency";
import type { Database } from "./schema";

/**
 * Reference data every installation starts with: the SCORE countries, the modules and the
 * default pathway template. The thresholds below are product defaults, editable as data.
 */

export const COUNTRIES = [
  { code: "CN", name: "China", currency: "CNY" },
  { code: "CO", name: "Colombia", currency: "COP" },
  { code: "GH", name: "Ghana", currency: "GHS" },
  { code: "IN", name: "India", currency: "INR" },
  { code: "ID", name: "Indonesia", currency: "IDR" },
  { code: "ZA", name: "South Africa", currency: "ZAR" },
  { code: "VN", name: "Viet Nam", currency: "VND" },
  { code: "PE", name: "Peru", currency: "PEN" },
  { code: "BO", name: "Bolivia", currency: "BOB" },
];

export const MODULES = [
  {
    code: "M1",
    name: "Workplace Cooperation",
    sort_order: 1,
    description: "Always first, for enterprises and trainers",
    labels: { es: "Cooperación en el lugar de trabajo", fr: "Coopération sur le lieu de travail" },
  },
  {
    code: "M2",
    name: "Quality",
    sort_order: 2,
    description: "Managing continuous improvement",
    labels: { es: "Calidad", fr: "Qualité" },
  },
  {
    code: "M3",
    name: "Cleaner Production",
    sort_order: 3,
    description: "",
    labels: { es: "Producción más limpia", fr: "Production plus propre" },
  },
  {
    code: "M4",
    name: "Workforce Management",
    sort_order: 4,
    description: "",
    labels: { es: "Gestión de recursos humanos", fr: "Gestion des ressources humaines" },
  },
  {
    code: "M5",
    name: "Occupational Safety and Health",
    sort_order: 5,
    description: "",
    labels: { es: "Seguridad y salud en el trabajo", fr: "Sécurité et santé au travail" },
  },
];

/**
 * The default template's words in Spanish and French, by stage key and criterion key (decision
 * 026). Migration 019 holds a frozen copy for databases made before labels existed.
 */
export const DEFAULT_TEMPLATE_NAME = "SCORE institutionalisation pathway";
const TEMPLATE_NAME_LABELS = {
  es: { name: "Itinerario de institucionalización de SCORE" },
  fr: { name: "Parcours d’institutionnalisation de SCORE" },
};
const STAGE_LABELS: Record<string, Record<"es" | "fr", { name: string; description: string }>> = {
  engaged: {
    es: { name: "Comprometida", description: "Asociación formalizada, SCORE en la cartera de servicios" },
    fr: { name: "Engagée", description: "Partenariat formalisé, SCORE dans l’offre de services" },
  },
  tot: {
    es: { name: "Formación de formadores", description: "Un grupo de formadores capacitados, con mujeres entre ellos" },
    fr: { name: "Formation de formateurs", description: "Un vivier de formateurs formés, dont des femmes" },
  },
  certification: {
    es: { name: "Certificación", description: "Formadores certificados por módulo; formadores expertos nacionales" },
    fr: { name: "Certification", description: "Formateurs certifiés par module ; formateurs experts nationaux" },
  },
  cost_recovery: {
    es: {
      name: "Recuperación de costos",
      description: "Una parte creciente del costo de impartición pagada por fuentes ajenas a la OIT",
    },
    fr: {
      name: "Recouvrement des coûts",
      description: "Une part croissante du coût de prestation payée par des sources autres que l’OIT",
    },
  },
  independent: {
    es: { name: "Impartición independiente", description: "Ciclos completos impartidos y financiados sin la OIT" },
    fr: { name: "Prestation autonome", description: "Cycles complets dispensés et financés sans l’OIT" },
  },
};
const CRITERION_LABELS: Record<string, Record<"es" | "fr", string>> = {
  mou: { es: "Memorando de entendimiento firmado", fr: "Protocole d’accord signé" },
  portfolio: { es: "SCORE en la cartera de servicios", fr: "SCORE dans l’offre de services" },
  trained: {
    es: "Formadores capacitados en la formación de formadores",
    fr: "Formateurs formés lors de la formation de formateurs",
  },
  women: { es: "Mujeres entre los formadores capacitados (%)", fr: "Femmes parmi les formateurs formés (%)" },
  certified: { es: "Formadores certificados", fr: "Formateurs certifiés" },
  m1: { es: "Formadores certificados en M1", fr: "Formateurs certifiés pour M1" },
  other_modules: { es: "Módulos certificados además de M1", fr: "Modules certifiés en plus de M1" },
  experts: { es: "Formadores expertos nacionales", fr: "Formateurs experts nationaux" },
  active: {
    es: "Formadores certificados activos en los últimos 12 meses (%)",
    fr: "Formateurs certifiés actifs au cours des 12 derniers mois (%)",
  },
  business_plan: { es: "Plan de negocios adoptado", fr: "Plan d’affaires adopté" },
  non_ilo_share: {
    es: "Costo de impartición cubierto por fuentes ajenas a la OIT, últimos 12 meses (%)",
    fr: "Coût de prestation couvert par des sources autres que l’OIT, 12 derniers mois (%)",
  },
  sources: {
    es: "Fuentes de financiación ajenas a la OIT distintas, últimos 12 meses",
    fr: "Sources de financement distinctes hors OIT, 12 derniers mois",
  },
  without_ilo: {
    es: "Ciclos completos de módulos impartidos sin personal de la OIT, últimos 24 meses",
    fr: "Cycles complets de modules dispensés sans personnel de l’OIT, 24 derniers mois",
  },
  sustained: {
    es: "Partida presupuestaria pública o patrocinador plurianual",
    fr: "Ligne budgétaire publique ou parrain pluriannuel",
  },
  readiness: { es: "Puntuación de preparación de la OIT (0–100)", fr: "Score de préparation de l’OIT (0–100)" },
};

/** A definition of the default template with its Spanish and French words added. */
function withDefaultLabels(def: TemplateDefinition): TemplateDefinition {
  return {
    ...def,
    i18n: TEMPLATE_NAME_LABELS,
    stages: def.stages.map((s) => ({
      ...s,
      i18n: STAGE_LABELS[s.key],
      gate: s.gate.map((c) => {
        const l = CRITERION_LABELS[c.key];
        return l ? { ...c, i18n: { es: { label: l.es }, fr: { label: l.fr } } } : c;
      }),
    })),
  };
}

export const DEFAULT_TEMPLATE_ID = "default@1";

export const DEFAULT_TEMPLATE: TemplateDefinition = withDefaultLabels(
  TemplateDefinitionSchema.parse({
    stages: [
      { key: "engaged", name: "Engaged", description: "Partnership formalised, SCORE in the service portfolio", gate: [] },
      {
        key: "tot",
        name: "Training of Trainers",
        description: "A pool of trained trainers, with women among them",
        gate: [
          { key: "mou", label: "MoU signed", metric: "mou_signed", threshold: 1 },
          { key: "portfolio", label: "SCORE in the service portfolio", metric: "score_in_portfolio", threshold: 1 },
          { key: "trained", label: "Trainers trained in ToT", metric: "trainers_trained", threshold: 6 },
          { key: "women", label: "Women among trained trainers (%)", metric: "women_share_trained", threshold: 30 },
        ],
      },
      {
        key: "certification",
        name: "Certification",
        description: "Trainers certified per module; national expert trainers",
        gate: [
          {
            key: "certified",
            label: "Certified trainers",
            metric: "certified_trainers",
            threshold: 4,
            floor: { consecutiveReviews: 1 },
          },
          {
            key: "m1",
            label: "Trainers certified for M1",
            metric: "certified_in_module",
            params: { module: "M1" },
            threshold: 1,
          },
          {
            key: "other_modules",
            label: "Modules certified besides M1",
            metric: "modules_certified_besides",
            params: { module: "M1" },
            threshold: 2,
          },
          { key: "experts", label: "National expert trainers", metric: "national_expert_trainers", threshold: 1 },
          {
            key: "active",
            label: "Certified trainers active in the last 12 months (%)",
            metric: "active_share_certified",
            params: { windowMonths: 12 },
            threshold: 50,
          },
        ],
      },
      {
        key: "cost_recovery",
        name: "Cost recovery",
        description: "A growing share of delivery cost paid from non-ILO sources",
        gate: [
          { key: "business_plan", label: "Business plan adopted", metric: "business_plan_adopted", threshold: 1 },
          {
            key: "non_ilo_share",
            label: "Delivery cost from non-ILO sources, last 12 months (%)",
            metric: "non_ilo_share",
            params: { windowMonths: 12 },
            threshold: 50,
            floor: { consecutiveReviews: 2 },
          },
          {
            key: "sources",
            label: "Distinct non-ILO funding sources, last 12 months",
            metric: "non_ilo_sources",
            params: { windowMonths: 12 },
            threshold: 2,
          },
        ],
      },
      {
        key: "independent",
        name: "Independent delivery",
        description: "Full cycles delivered and funded without the ILO",
        gate: [
          {
            key: "non_ilo_share",
            label: "Delivery cost from non-ILO sources, last 12 months (%)",
            metric: "non_ilo_share",
            params: { windowMonths: 12 },
            threshold: 90,
            floor: { consecutiveReviews: 2 },
          },
          {
            key: "without_ilo",
            label: "Full module cycles delivered without ILO staff, last 24 months",
            metric: "cycles_without_ilo",
            params: { windowMonths: 24 },
            threshold: 1,
          },
          { key: "sustained", label: "Government budget line or multi-year sponsor", metric: "sustained_funding", threshold: 1 },
        ],
      },
    ],
    timers: { reminderAfterDays: 91, escalateAfterDays: 14, reviewEveryDays: 91, certificationValidityMonths: 36 },
    readinessWeights: { technical: 35, institutional: 30, financial: 35 },
  }),
);

export const DEFAULT_TEMPLATE_V2_ID = "default@2";

/** The readiness score each gate of default@2 asks for (product defaults, editable as data). */
export const READINESS_THRESHOLDS: Record<string, number> = { tot: 40, certification: 55, cost_recovery: 65, independent: 75 };

/**
 * default@1 with the ILO readiness assessment in every gate. Shipped as a draft: an ILO
 * administrator publishes it when officers have recorded assessments, and only then do new
 * institutions start on it (docs/decisions/009). Loading the demo data publishes it
 * (db/seed-templates.ts).
 */
export const DEFAULT_TEMPLATE_V2: TemplateDefinition = withDefaultLabels(
  TemplateDefinitionSchema.parse({
    ...DEFAULT_TEMPLATE,
    stages: DEFAULT_TEMPLATE.stages.map((s, i) =>
      i === 0
        ? s
        : {
            ...s,
            gate: [
              ...s.gate,
              {
                key: "readiness",
                label: "ILO readiness score (0–100)",
                metric: "readiness_score",
                threshold: READINESS_THRESHOLDS[s.key],
              },
            ],
          },
    ),
  }),
);

/** Inserts what is missing; safe to run at every start. Never changes a template already there. */
export async function ensureReferenceData(db: Kysely<Database>): Promise<void> {
  // Every reference country's currency, with its ISO 4217 minor units (an edited row stays).
  const codes = [...new Set(["USD", ...COUNTRIES.map((c) => c.currency)])];
  await db
    .insertInto("currencies")
    .values(codes.map((code) => ({ code, minor_units: ISO_4217[code]!.minorUnits, digits_in_use: ISO_4217[code]!.digitsInUse })))
    .onConflict((oc) => oc.column("code").doNothing())
    .execute();
  await db
    .insertInto("countries")
    .values(COUNTRIES)
    .onConflict((oc) => oc.column("code").doNothing())
    .execute();
  await db
    .insertInto("modules")
    .values(MODULES.map((m) => ({ ...m, labels: JSON.stringify(m.labels) })))
    .onConflict((oc) => oc.column("code").doNothing())
    .execute();
  await db
    .insertInto("pathway_templates")
    .values({
      id: DEFAULT_TEMPLATE_ID,
      key: "default",
      version: 1,
      name: DEFAULT_TEMPLATE_NAME,
      country_code: null,
      definition: JSON.stringify(DEFAULT_TEMPLATE),
    })
    .onConflict((oc) => oc.column("id").doNothing())
    .execute();
  // A database where an administrator already made default@2 keeps theirs; so does one
  // that has another draft of the default template open (one draft per key).
  const openDraft = await db
    .selectFrom("pathway_templates")
    .select("id")
    .where("key", "=", "default")
    .where("status", "=", "draft")
    .executeTakeFirst();
  if (!openDraft) {
    await db
      .insertInto("pathway_templates")
      .values({
        id: DEFAULT_TEMPLATE_V2_ID,
        key: "default",
        version: 2,
        name: DEFAULT_TEMPLATE_NAME,
        country_code: null,
        definition: JSON.stringify(DEFAULT_TEMPLATE_V2),
        status: "draft",
        created_by: "system",
        notes: "Adds the ILO readiness score to every gate.",
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}
