import { stageNameIn } from "~/i18n/template-labels";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { getTranslator } from "~/i18n/server";
import { ActionRefusal } from "~/components/ActionRefusal";
import { z } from "zod";
import { requireInstitution } from "~/platform/guard.server";
import { formValues } from "~/features/reports/report-form";
import { render } from "~/i18n/render";
import { sendPathwayUpdate } from "~/platform/workflow-update.server";
import { getTemplate } from "../../db/queries/institutions";
import { decideSlipUpdate } from "~/features/pathway/pathway-messages.server";
import { readForm } from "~/platform/request-body.server";
import { redirectWithNotice } from "~/platform/flash.server";

/** Nothing to show here: the slip decision lives on the institution page. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { institution } = await requireInstitution(request, params, context, "view");
  return redirect(`/institutions/${institution.id}`);
}

// Built when used, so the browser bundle of this page need not carry zod.
const SlipSchema = () =>
  z.object({
    decision: z.enum(["confirm", "dismiss"], { message: "Choose to confirm or dismiss the slip back" }),
    reason: z.string().trim().max(2000, "Keep the reason under 2000 characters").default(""),
  });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, institution } = await requireInstitution(request, params, context, "sign_off");

  const parsed = SlipSchema().safeParse(formValues(await readForm(request)));
  if (!parsed.success) throw json({ message: parsed.error.issues[0].message }, { status: 400 });
  const confirm = parsed.data.decision === "confirm";

  const sent = await sendPathwayUpdate(context, institution.id, (h) =>
    h.executeUpdate(decideSlipUpdate, { args: [{ confirm, decidedBy: actor.name, reason: parsed.data.reason }] }),
  );
  if (!sent.ok) throw json({ message: render(getTranslator(request, actor), sent.message) }, { status: sent.status });
  const template = await getTemplate(context.db, institution.template_id);
  const t = getTranslator(request, actor);
  const stage = stageNameIn(template.definition, sent.result.stageKey, t.locale);
  const notice = confirm ? t("inst.movedBack", { stage }) : t("inst.slipDismissed", { name: institution.name, stage });
  return redirectWithNotice(request, context, `/institutions/${institution.id}`, notice);
}

export const ErrorBoundary = () => <ActionRefusal title="inst.refusal.nothing" />;

/** Never shown: a GET redirects and a successful POST redirects. */
export default function Nothing() {
  return null;
}
