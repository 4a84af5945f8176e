import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePlan } from "~/features/handover/plan-access.server";
import { planCsv } from "~/features/handover/plan-view";
import { getTemplate } from "../../db/queries/institutions";

/** A plan's table as CSV, for donors and national funders: same access as the plan page. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { institution, plan } = await requirePlan(request, params, context);
  const template = await getTemplate(context.db, institution.template_id);
  const file = `${plan.name.replace(/[^\w-]+/g, "-").replace(/^-|-$/g, "") || "plan"}.csv`;
  return new Response(planCsv(plan, template.definition), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
