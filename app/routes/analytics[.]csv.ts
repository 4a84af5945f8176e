import type { LoaderFunctionArgs } from "@remix-run/node";
import { ANALYTICS_TABLES, loadAnalytics, type AnalyticsTable } from "~/features/analytics/analytics.server";
import { exportPool } from "~/platform/export-pool.server";
import { requireAllowed } from "~/platform/guard.server";

/** `/analytics.csv?table=time-in-stage|stuck|quarters&…filters`: one of the analytics tables as a CSV file. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireAllowed(request, context, "view");
  const params = new URL(request.url).searchParams;
  const table = params.get("table") as AnalyticsTable;
  if (!ANALYTICS_TABLES.includes(table)) throw new Response(`Ask for table=${ANALYTICS_TABLES.join(", ")}`, { status: 400 });
  const data = await loadAnalytics(context.db, actor, params, new Date());
  const body = await exportPool(context.config).run({ kind: "analyticsCsv", locale: "en", data, table });
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="pathways-${table}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
