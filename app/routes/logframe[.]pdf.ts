import { resolveLocale } from "~/i18n/server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportFileName } from "~/features/indicators/export.server";
import { loadLogframe } from "~/features/indicators/logframe.server";
import { getTranslator } from "~/i18n/server";
import { requireActor } from "~/platform/access.server";
import { exportPool } from "~/platform/export-pool.server";

/** `/logframe.pdf?phase=&asAt=`: the logframe of a phase as a file, in the user's language. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  const now = new Date();
  const params = new URL(request.url).searchParams;
  const data = await loadLogframe(context.db, actor, params.get("phase"), now, params.get("asAt"), resolveLocale(request, actor));
  if (!data) throw new Response("No programme phases yet", { status: 404 });
  const t = getTranslator(request, actor);
  // A file always says the day it counts to: a day outside the phase is refused, never replaced.
  if (data.asAtError)
    throw new Response(t(data.asAtError, { start: t.date(data.phase.startsOn), end: t.date(data.phase.endsOn) }), {
      status: 400,
    });
  // Made on an export thread (decision 037): the loop stays free for other requests.
  const body = await exportPool(context.config).run({ kind: "logframePdf", locale: t.locale, data, now });
  return new Response(body, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${exportFileName(data, "pdf")}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
