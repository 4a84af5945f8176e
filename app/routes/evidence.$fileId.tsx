import type { LoaderFunctionArgs } from "@remix-run/node";
import { Readable } from "node:stream";
import { z } from "zod";
import { assertCan, requireActor } from "~/platform/access.server";
import { openEvidence } from "~/features/reports/evidence.server";
import { getEvidenceFile } from "../../db/queries/evidence";
import { getInstitution } from "../../db/queries/institutions";
import { contentDisposition } from "~/platform/content-disposition";

/** Serves an evidence file to users allowed to see its institution's reports, and nobody else. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const id = z.uuid().safeParse(params.fileId);
  if (!id.success) throw new Response("Not found", { status: 404 });
  const file = await getEvidenceFile(context.db, id.data);
  if (!file) throw new Response("Not found", { status: 404 });
  const institution = await getInstitution(context.db, file.institution_id);
  if (!institution) throw new Response("Not found", { status: 404 });
  assertCan(actor, "view", institution);
  const stream = Readable.toWeb(openEvidence(context, file.institution_id, file.id)) as ReadableStream;
  return new Response(stream, {
    headers: {
      "Content-Type": file.content_type,
      "Content-Length": String(file.size_bytes),
      "Content-Disposition": contentDisposition(file.file_name),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
