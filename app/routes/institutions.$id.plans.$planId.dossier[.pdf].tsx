import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePlan } from "~/features/handover/plan-access.server";
import { loadDossier, safeFileName } from "~/features/handover/dossier.server";
import { getTranslator } from "~/i18n/server";
import { exportPool } from "~/platform/export-pool.server";

/**
 * The handover dossier of an institution, for the plan chosen: the plan is in the address because
 * an institution often has several (the agreed one and its scenarios), and a dossier argues for
 * one of them. Same access as the plan page; generated on each request, never cached.
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { actor, institution, plan } = await requirePlan(request, params, context);
  const t = getTranslator(request, actor);
  const dossier = await loadDossier(context.db, institution.id, plan, new Date(), t.locale);
  const pdf = await exportPool(context.config).run({ kind: "dossierPdf", locale: t.locale, dossier });
  const file = safeFileName("dossier", [institution.name, plan.name], "pdf");
  return new Response(pdf, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${file}"`,
      "Content-Length": String(pdf.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
}
