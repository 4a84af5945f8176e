import type { LoaderFunctionArgs } from "@remix-run/node";
import { BY_SEX, loadPublicResults, UNSEXED } from "~/features/api/results.server";

/** `/results/<country>/results.csv`: the public page's figures, stable column names, no personal data. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const data = await loadPublicResults(context, params.country ?? "", new URL(request.url).searchParams.get("phase"));
  if (!data)
    throw new Response("There are no public results for this country.", {
      status: 404,
      headers: { "Cache-Control": "no-store" },
    });
  const rows: (string | number | null)[][] = [["section", "measure", "total", "women", "men", "target", "achieved_percent"]];
  if (data.totals) {
    for (const u of UNSEXED) rows.push(["totals", u.key, data.totals[u.v], null, null, null, null]);
    for (const b of BY_SEX)
      rows.push(["totals", b.key, data.totals[b.f] + data.totals[b.m], data.totals[b.f], data.totals[b.m], null, null]);
  }
  for (const i of data.indicators) rows.push(["indicator", i.key, i.actual, i.women, null, i.target, i.achieved]);
  const csv = rows.map((r) => r.map((v) => (v === null ? "" : String(v))).join(",")).join("\r\n") + "\r\n";
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="results-${data.country.code}${data.phase ? `-${data.phase.key}` : ""}.csv"`,
      "Cache-Control": "public, max-age=300",
    },
  });
}
