import type { AppLoadContext } from "@remix-run/node";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, Link, useParams, useRouteError } from "@remix-run/react";
import { z } from "zod";
import { stageName } from "~/domain/template";
import type { AppContext } from "~/server/context";
import { assertCan, requireActor, type Action } from "~/utils/access.server";
import { formValues } from "~/utils/report-form";
import { updatePathway } from "~/utils/workflow-errors.server";
import { getInstitution, getTemplate } from "../../db/queries/institutions";
import { signOffStageUpdate } from "~/utils/pathway-messages.server";

const NOT_FOUND = "There is no institution at this address.";

async function guard(request: Request, params: LoaderFunctionArgs["params"], context: AppLoadContext, action: Action) {
  const db = context.db;
  const actor = await requireActor(request, context);
  const id = z.uuid().safeParse(params.id);
  if (!id.success) throw new Response(NOT_FOUND, { status: 404 });
  const institution = await getInstitution(db, id.data);
  if (!institution) throw new Response(NOT_FOUND, { status: 404 });
  assertCan(actor, action, institution);
  return { actor, institution };
}

/** Nothing to show here: the sign-off form lives on the institution page. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { institution } = await guard(request, params, context, "view");
  return redirect(`/institutions/${institution.id}`);
}

// Built when used, so the browser bundle of this page need not carry zod.
const SignOffSchema = () =>
  z.object({
  fromStage: z.string().min(1, "The form did not say which stage it signs off"),
  note: z.string().trim().max(2000, "Keep the note under 2000 characters").default(""),
});

export async function action({ request, params, context }: ActionFunctionArgs) {
  const { actor, institution } = await guard(request, params, context, "sign_off");

  const parsed = SignOffSchema().safeParse(formValues(await request.formData()));
  if (!parsed.success) throw json({ message: parsed.error.issues[0].message }, { status: 400 });
  const { fromStage, note } = parsed.data;

  // No update id of our own: a second click is refused by the workflow ("no longer at …"),
  // which stays true even after a later slip back brings the institution to this stage again.
  const sent = await updatePathway(context, institution.id, (h) =>
    h.executeUpdate(signOffStageUpdate, { args: [{ fromStage, decidedBy: actor.name, note }] }),
  );
  if (!sent.ok) throw json({ message: sent.problem.message }, { status: sent.problem.status });
  const template = await getTemplate(context.db, institution.template_id);
  const notice = `Signed off: ${institution.name} has reached ${stageName(template.definition, sent.value.stageKey)}.`;
  return redirect(`/institutions/${institution.id}?notice=${encodeURIComponent(notice)}`);
}

/**
 * A refusal is thrown, not returned: this route's own boundary then renders it, and its loader
 * (which redirects) is not run, so the message reaches a browser without JavaScript too.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  const { id } = useParams();
  if (!isRouteErrorResponse(error) || error.status === 404 || error.status === 403) throw error;
  const message = (error.data as { message?: string } | null)?.message ?? "Nothing was changed.";
  return (
    <div className="form-page">
      <h1>The stage was not signed off</h1>
      <p className="notice notice-warn" role="alert">
        {message}
      </p>
      <p>
        <Link to={`/institutions/${id}`}>Back to the institution</Link>
      </p>
    </div>
  );
}

/** Never shown: a GET redirects and a successful POST redirects. */
export default function Nothing() {
  return null;
}
