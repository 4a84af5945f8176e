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
import { signOffStageUpdate } from "~/features/pathway/pathway-messages.server";
import { readForm } from "~/platform/request-body.server";
import { redirectWithNotice } from "~/platform/flash.server";

/** Nothing to show here: the sign-off form lives on the institution page. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { institution } = await requireInstitution(request, params, context, "view");
  return redirect(`/institutions/${institution.id}`);
}

// Built when used, so the browser bundle of this page need not carry zod.
const SignOffSchema = () =>
  z.object({
    // A stage key, never more: whatever reaches the workflow update is bounded here.
    fromStage: z
      .string()
      .min(1, "The form did not say which stage it signs off")
      .max(100, "The form named a stage that does not exist"),
    note: z.string().trim().max(2000, "Keep the note under 2000 characters").default(""),
  });

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, institution } = await requireInstitution(request, params, context, "sign_off");

  const parsed = SignOffSchema().safeParse(formValues(await readForm(request)));
  if (!parsed.success) throw json({ message: parsed.error.issues[0].message }, { status: 400 });
  const { fromStage, note } = parsed.data;

  // No update id of our own: a second click is refused by the workflow ("no longer at …"),
  // which stays true even after a later slip back brings the institution to this stage again.
  const sent = await sendPathwayUpdate(context, institution.id, (h) =>
    h.executeUpdate(signOffStageUpdate, { args: [{ fromStage, decidedBy: actor.name, note }] }),
  );
  if (!sent.ok) throw json({ message: render(getTranslator(request, actor), sent.message) }, { status: sent.status });
  const template = await getTemplate(context.db, institution.template_id);
  const t = getTranslator(request, actor);
  const notice = t("inst.signedOff", {
    name: institution.name,
    stage: stageNameIn(template.definition, sent.result.stageKey, t.locale),
  });
  return redirectWithNotice(request, context, `/institutions/${institution.id}`, notice);
}

export const ErrorBoundary = () => <ActionRefusal title="inst.refusal.signOff" />;

/** Never shown: a GET redirects and a successful POST redirects. */
export default function Nothing() {
  return null;
}
