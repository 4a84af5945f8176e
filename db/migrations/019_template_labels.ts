import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.

/**
 * Template data in the reader's language (decision 026):
 * - modules get `labels` (jsonb, language code → name), the SCORE modules' Spanish and French
 *   names filled in where the English name is still the one reference data gave;
 * - the default template's versions (`default@1`, `default@2`) get their Spanish and French
 *   words inside the definition (`i18n` on the template, each stage and each criterion), only for
 *   a stage or criterion whose English is still as shipped and that has no words of its own.
 *   Words are presentation, not rules: a published version's gates, thresholds and timers are
 *   untouched, so this is the one write to published rows (decision 009 keeps them immutable).
 */

const SHIPPED: Shipped = {
  name: {
    es: {
      name: "Itinerario de institucionalización de SCORE",
    },
    fr: {
      name: "Parcours d’institutionnalisation de SCORE",
    },
  },
  stages: {
    engaged: {
      en: "Engaged",
      i18n: {
        es: {
          name: "Comprometida",
          description: "Asociación formalizada, SCORE en la cartera de servicios",
        },
        fr: {
          name: "Engagée",
          description: "Partenariat formalisé, SCORE dans l’offre de services",
        },
      },
    },
    tot: {
      en: "Training of Trainers",
      i18n: {
        es: {
          name: "Formación de formadores",
          description: "Un grupo de formadores capacitados, con mujeres entre ellos",
        },
        fr: {
          name: "Formation de formateurs",
          description: "Un vivier de formateurs formés, dont des femmes",
        },
      },
    },
    certification: {
      en: "Certification",
      i18n: {
        es: {
          name: "Certificación",
          description: "Formadores certificados por módulo; formadores expertos nacionales",
        },
        fr: {
          name: "Certification",
          description: "Formateurs certifiés par module ; formateurs experts nationaux",
        },
      },
    },
    cost_recovery: {
      en: "Cost recovery",
      i18n: {
        es: {
          name: "Recuperación de costos",
          description: "Una parte creciente del costo de impartición pagada por fuentes ajenas a la OIT",
        },
        fr: {
          name: "Recouvrement des coûts",
          description: "Une part croissante du coût de prestation payée par des sources autres que l’OIT",
        },
      },
    },
    independent: {
      en: "Independent delivery",
      i18n: {
        es: {
          name: "Impartición independiente",
          description: "Ciclos completos impartidos y financiados sin la OIT",
        },
        fr: {
          name: "Prestation autonome",
          description: "Cycles complets dispensés et financés sans l’OIT",
        },
      },
    },
  },
  criteria: {
    mou: {
      en: "MoU signed",
      i18n: {
        es: {
          label: "Memorando de entendimiento firmado",
        },
        fr: {
          label: "Protocole d’accord signé",
        },
      },
    },
    portfolio: {
      en: "SCORE in the service portfolio",
      i18n: {
        es: {
          label: "SCORE en la cartera de servicios",
        },
        fr: {
          label: "SCORE dans l’offre de services",
        },
      },
    },
    trained: {
      en: "Trainers trained in ToT",
      i18n: {
        es: {
          label: "Formadores capacitados en la formación de formadores",
        },
        fr: {
          label: "Formateurs formés lors de la formation de formateurs",
        },
      },
    },
    women: {
      en: "Women among trained trainers (%)",
      i18n: {
        es: {
          label: "Mujeres entre los formadores capacitados (%)",
        },
        fr: {
          label: "Femmes parmi les formateurs formés (%)",
        },
      },
    },
    readiness: {
      en: "ILO readiness score (0–100)",
      i18n: {
        es: {
          label: "Puntuación de preparación de la OIT (0–100)",
        },
        fr: {
          label: "Score de préparation de l’OIT (0–100)",
        },
      },
    },
    certified: {
      en: "Certified trainers",
      i18n: {
        es: {
          label: "Formadores certificados",
        },
        fr: {
          label: "Formateurs certifiés",
        },
      },
    },
    m1: {
      en: "Trainers certified for M1",
      i18n: {
        es: {
          label: "Formadores certificados en M1",
        },
        fr: {
          label: "Formateurs certifiés pour M1",
        },
      },
    },
    other_modules: {
      en: "Modules certified besides M1",
      i18n: {
        es: {
          label: "Módulos certificados además de M1",
        },
        fr: {
          label: "Modules certifiés en plus de M1",
        },
      },
    },
    experts: {
      en: "National expert trainers",
      i18n: {
        es: {
          label: "Formadores expertos nacionales",
        },
        fr: {
          label: "Formateurs experts nationaux",
        },
      },
    },
    active: {
      en: "Certified trainers active in the last 12 months (%)",
      i18n: {
        es: {
          label: "Formadores certificados activos en los últimos 12 meses (%)",
        },
        fr: {
          label: "Formateurs certifiés actifs au cours des 12 derniers mois (%)",
        },
      },
    },
    business_plan: {
      en: "Business plan adopted",
      i18n: {
        es: {
          label: "Plan de negocios adoptado",
        },
        fr: {
          label: "Plan d’affaires adopté",
        },
      },
    },
    non_ilo_share: {
      en: "Delivery cost from non-ILO sources, last 12 months (%)",
      i18n: {
        es: {
          label: "Costo de impartición cubierto por fuentes ajenas a la OIT, últimos 12 meses (%)",
        },
        fr: {
          label: "Coût de prestation couvert par des sources autres que l’OIT, 12 derniers mois (%)",
        },
      },
    },
    sources: {
      en: "Distinct non-ILO funding sources, last 12 months",
      i18n: {
        es: {
          label: "Fuentes de financiación ajenas a la OIT distintas, últimos 12 meses",
        },
        fr: {
          label: "Sources de financement distinctes hors OIT, 12 derniers mois",
        },
      },
    },
    without_ilo: {
      en: "Full module cycles delivered without ILO staff, last 24 months",
      i18n: {
        es: {
          label: "Ciclos completos de módulos impartidos sin personal de la OIT, últimos 24 meses",
        },
        fr: {
          label: "Cycles complets de modules dispensés sans personnel de l’OIT, 24 derniers mois",
        },
      },
    },
    sustained: {
      en: "Government budget line or multi-year sponsor",
      i18n: {
        es: {
          label: "Partida presupuestaria pública o patrocinador plurianual",
        },
        fr: {
          label: "Ligne budgétaire publique ou parrain pluriannuel",
        },
      },
    },
  },
  modules: {
    M1: {
      en: "Workplace Cooperation",
      labels: {
        es: "Cooperación en el lugar de trabajo",
        fr: "Coopération sur le lieu de travail",
      },
    },
    M2: {
      en: "Quality",
      labels: {
        es: "Calidad",
        fr: "Qualité",
      },
    },
    M3: {
      en: "Cleaner Production",
      labels: {
        es: "Producción más limpia",
        fr: "Production plus propre",
      },
    },
    M4: {
      en: "Workforce Management",
      labels: {
        es: "Gestión de recursos humanos",
        fr: "Gestion des ressources humaines",
      },
    },
    M5: {
      en: "Occupational Safety and Health",
      labels: {
        es: "Seguridad y salud en el trabajo",
        fr: "Sécurité et santé au travail",
      },
    },
  },
};

interface Shipped {
  name: Record<string, { name: string }>;
  stages: Record<string, { en: string; i18n: Record<string, { name: string; description: string }> }>;
  criteria: Record<string, { en: string; i18n: Record<string, { label: string }> }>;
  modules: Record<string, { en: string; labels: Record<string, string> }>;
}

type Json = Record<string, unknown>;

/** The definition with the shipped words added where the English is as shipped; null when nothing changes. */
export function addShippedLabels(definition: Json): Json | null {
  let changed = false;
  const def: Json = { ...definition };
  if (!def.i18n) {
    def.i18n = SHIPPED.name;
    changed = true;
  }
  const stages = Array.isArray(def.stages) ? (def.stages as Json[]) : [];
  def.stages = stages.map((stage) => {
    const s: Json = { ...stage };
    const shipped = SHIPPED.stages[String(s.key)];
    if (shipped && shipped.en === s.name && !s.i18n) {
      s.i18n = shipped.i18n;
      changed = true;
    }
    const gate = Array.isArray(s.gate) ? (s.gate as Json[]) : [];
    s.gate = gate.map((criterion) => {
      const c: Json = { ...criterion };
      const words = SHIPPED.criteria[String(c.key)];
      if (words && words.en === c.label && !c.i18n) {
        c.i18n = words.i18n;
        changed = true;
      }
      return c;
    });
    return s;
  });
  return changed ? def : null;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("modules")
    .addColumn("labels", "jsonb", (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();
  for (const [code, m] of Object.entries(SHIPPED.modules))
    await db
      .updateTable("modules")
      .set({ labels: JSON.stringify(m.labels) })
      .where("code", "=", code)
      .where("name", "=", m.en)
      .execute();

  const rows = await db
    .selectFrom("pathway_templates")
    .select(["id", "definition"])
    .where("id", "in", ["default@1", "default@2"])
    .execute();
  for (const row of rows as { id: string; definition: unknown }[]) {
    const parsed = (typeof row.definition === "string" ? JSON.parse(row.definition) : row.definition) as Json;
    const next = addShippedLabels(parsed);
    if (next)
      await db
        .updateTable("pathway_templates")
        .set({ definition: JSON.stringify(next) })
        .where("id", "=", row.id)
        .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("modules").dropColumn("labels").execute();
}
