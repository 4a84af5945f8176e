import { localiseDefinition } from "~/i18n/template-labels";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePlan } from "~/features/handover/plan-access.server";
import { safeFileName } from "~/features/handover/dossier.server";
import { planActuals } from "~/features/handover/plan-xlsx.server";
import { exportPool } from "~/platform/export-pool.server";
import { getTranslator } from "~/i18n/server";
import { getTemplate } from "../../db/queries/institutions";

/** A plan's tables as an Excel workbook (plan per year, funding by source, actuals, floors): same access as the plan page. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, institution, plan } = await requirePlan(request, params, context);
  const t = getTranslator(request, actor);
  const template = await getTemplate(context.db, institution.template_id);
  const book = await exportPool(context.config).run({
    kind: "planXlsx",
    locale: t.locale,
    plan,
    definition: localiseDefinition(template.definition, t.locale),
    actuals: await planActuals(context.db, plan),
    now: new Date(),
  });
  return new Response(book, {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${safeFileName("plan", [plan.name], "xlsx")}"`,
      "Content-Length": String(book.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
}
