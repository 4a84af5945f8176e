import type { LoaderFunctionArgs } from "@remix-run/node";
import { isImportEntity } from "~/features/import/rules/index";
import { getTranslator } from "~/i18n/server";
import { requireImporter } from "~/features/import/import-access.server";
import { importTemplate } from "~/features/import/import-templates.server";

const TYPES = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
} as const;

/** GET /import/template?entity=trainers&format=xlsx: the layout to fill in, with an example row. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const entity = url.searchParams.get("entity");
  const format = url.searchParams.get("format") === "csv" ? "csv" : "xlsx";
  await requireImporter(request, context);
  if (!isImportEntity(entity)) throw new Response("Unknown layout", { status: 404 });
  const actor = await requireImporter(request, context, entity);
  const t = getTranslator(request, actor);
  const bytes = await importTemplate(context.db, entity, format, t);
  return new Response(Buffer.from(bytes), {
    headers: {
      "Content-Type": TYPES[format],
      "Content-Disposition": `attachment; filename="pathways-${entity}-template.${format}"`,
      "Cache-Control": "no-store",
    },
  });
}
