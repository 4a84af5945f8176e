import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { SubmitButton } from "~/components/forms/SubmitButton";
import { diffGates, previewMove, type CriterionChange } from "~/features/templates/template-move";
import type { PathwayTemplate } from "~/domain/template";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import { moveTemplateUpdate } from "~/features/pathway/pathway-messages.server";
import { requireTemplateAdmin } from "~/features/templates/templates.server";
import { render } from "~/i18n/render";
import { sendPathwayUpdate } from "~/platform/workflow-update.server";
import { getInstitutionTemplate, getTemplate } from "../../db/queries/institutions";
import { loadRecordsFor } from "../../db/queries/portfolio";
import { getTemplateMove, getTemplateVersion, moveCandidates } from "../../db/queries/templates";
import { readForm } from "~/platform/request-body.server";
import { ScrollTable } from "~/components/ScrollTable";

export const meta: MetaFunction = () => [{ title: "Move institutions · Pathways" }];

async function loadTarget(context: LoaderFunctionArgs["context"], id: string | undefined) {
  const template = id ? await getTemplateVersion(context.db, id) : null;
  if (!template) throw new Response("Not found", { status: 404 });
  return template;
}

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireTemplateAdmin(request, context);
  const target = await loadTarget(context, params.templateId);
  const candidates =
    target.status === "published" ? await moveCandidates(context.db, { id: target.id, country_code: target.countryCode }) : [];
  const records = await loadRecordsFor(
    context.db,
    candidates.map((c) => c.id),
  );
  const templates = new Map<string, PathwayTemplate>();
  for (const id of new Set(candidates.map((c) => c.template_id))) templates.set(id, await getTemplate(context.db, id));
  const now = new Date();
  const sources = [...templates.values()].map((from) => ({
    templateId: from.id,
    changes: diffGates(from.definition, target.definition),
  }));
  return json({
    sources,
    target: { id: target.id, status: target.status },
    // Made here, carried in the form: sending it twice moves each institution once.
    moveId: crypto.randomUUID(),
    candidates: candidates.map((c) => {
      const from = templates.get(c.template_id)!;
      const p = previewMove(from.definition, target.definition, c.stage_key, records.get(c.id)!, now);
      const gate = (g: typeof p.nextGateBefore) => (g ? { stageName: g.stageName, met: g.met } : null);
      const nextStage = p.nextGateAfter?.stageKey ?? p.nextGateBefore?.stageKey;
      return {
        id: c.id,
        name: c.name,
        country: c.country_code,
        templateId: c.template_id,
        stageKey: c.stage_key,
        stageName: from.definition.stages.find((s) => s.key === c.stage_key)?.name ?? c.stage_key,
        stageMissing: p.stageMissing,
        // The changes to the gate this institution works towards; the rest are listed once per version above.
        changes: p.changes.filter((ch) => ch.stageKey === nextStage),
        before: gate(p.nextGateBefore),
        after: gate(p.nextGateAfter),
      };
    }),
  });
}

type Outcome = { id: string; name: string; kind: "moved" | "already" | "refused"; message?: string };

export async function action({ request, params, context }: ActionFunctionArgs) {
  const actor = await requireTemplateAdmin(request, context);
  const target = await loadTarget(context, params.templateId);
  const t = getTranslator(request, actor);
  const form = await readForm(request);
  const reason = String(form.get("reason") ?? "").trim();
  const moveId = String(form.get("moveId") ?? "");
  const chosen = form.getAll("institution").map(String);
  const errors: Record<string, string> = {};
  if (target.status !== "published") errors.institution = t("templates.move.notPublished");
  if (!reason) errors.reason = t("templates.move.reasonMissing");
  if (chosen.length === 0) errors.institution ??= t("templates.move.noneSelected");
  if (!/^[0-9a-f-]{36}$/.test(moveId)) errors.institution ??= t("templates.error.badDraft");
  if (Object.keys(errors).length > 0) return json({ errors, reason, chosen, outcomes: [] as Outcome[] }, { status: 400 });

  const candidates = new Map(
    (await moveCandidates(context.db, { id: target.id, country_code: target.countryCode })).map((c) => [c.id, c]),
  );
  const outcomes: Outcome[] = [];
  for (const institutionId of chosen) {
    const id = `${moveId}:${institutionId}`;
    const done = await getTemplateMove(context.db, id);
    const inst = candidates.get(institutionId);
    if (done) {
      outcomes.push({ id: institutionId, name: inst?.name ?? institutionId, kind: "already" });
      continue;
    }
    if (!inst) {
      // Already on the target (a second send), or not one this version can take.
      const here = await getInstitutionTemplate(context.db, institutionId);
      outcomes.push(
        here?.template_id === target.id
          ? { id: institutionId, name: here.name, kind: "already" }
          : { id: institutionId, name: here?.name ?? institutionId, kind: "refused", message: t("templates.error.keyCountry") },
      );
      continue;
    }
    const sent = await sendPathwayUpdate(context, institutionId, (h) =>
      h.executeUpdate(moveTemplateUpdate, {
        args: [{ moveId: id, templateId: target.id, decidedBy: actor.name, reason }],
        updateId: id,
      }),
    );
    if (!sent.ok) outcomes.push({ id: institutionId, name: inst.name, kind: "refused", message: render(t, sent.message) });
    else outcomes.push({ id: institutionId, name: inst.name, kind: sent.result.moved ? "moved" : "already" });
  }
  const status = outcomes.every((o) => o.kind === "refused") ? 409 : 200;
  return json({ errors: {} as Record<string, string>, reason, chosen, outcomes }, { status });
}

function ChangeList({ changes }: { changes: CriterionChange[] }) {
  const t = useT();
  if (changes.length === 0) return <>{t("templates.move.noChanges")}</>;
  return (
    <ul>
      {changes.map((ch) => (
        <li key={`${ch.stageKey}.${ch.key}.${ch.kind}`}>
          {t(`templates.move.${ch.kind}`, {
            stage: ch.stageName,
            label: ch.label,
            before: ch.before ?? "",
            after: ch.after ?? "",
          })}
        </li>
      ))}
    </ul>
  );
}

export default function MoveInstitutions() {
  const { target, candidates, moveId, sources } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const errors = result?.errors ?? {};
  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/admin/templates">{t("templates.view.back")}</Link> ›{" "}
        <Link to={`/admin/templates/${encodeURIComponent(target.id)}`}>{target.id}</Link>
      </p>
      <h1>{t("templates.move.title", { id: target.id })}</h1>
      <p className="lede">{t("templates.move.lede")}</p>
      {result && result.outcomes.length > 0 ? (
        <section className="notice" role="status" aria-labelledby="move-results">
          <h2 id="move-results">{t("templates.move.results")}</h2>
          <ul>
            {result.outcomes.map((o) => (
              <li key={o.id}>
                {o.kind === "moved"
                  ? t("templates.move.moved", { name: o.name, id: target.id })
                  : o.kind === "already"
                    ? t("templates.move.already", { name: o.name, id: target.id })
                    : t("templates.move.refused", { name: o.name, message: o.message ?? "" })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {target.status !== "published" ? (
        <p className="empty">{t("templates.move.notPublished")}</p>
      ) : candidates.length === 0 ? (
        <p className="empty">{t("templates.move.empty")}</p>
      ) : (
        <Form method="post" className="form-card" noValidate>
          <CsrfInput />
          <input type="hidden" name="moveId" value={moveId} />
          {sources.map((src) => (
            <section key={src.templateId} aria-labelledby={`from-${src.templateId}`}>
              <h2 id={`from-${src.templateId}`}>{t("templates.move.from", { from: src.templateId, to: target.id })}</h2>
              <ChangeList changes={src.changes} />
            </section>
          ))}
          <fieldset aria-describedby={errors.institution ? "institution-error" : undefined}>
            <legend>{t("templates.move.caption")}</legend>
            {errors.institution ? (
              <p className="field-error" id="institution-error">
                {errors.institution}
              </p>
            ) : null}
            <ScrollTable className="data" label={t("templates.move.caption")}>
              <thead>
                <tr>
                  <th scope="col">{t("templates.move.choose")}</th>
                  <th scope="col">{t("templates.move.institution")}</th>
                  <th scope="col">{t("templates.move.current")}</th>
                  <th scope="col">{t("templates.move.stage")}</th>
                  <th scope="col">{t("templates.move.changesNext")}</th>
                  <th scope="col">{t("templates.move.nextGate")}</th>
                </tr>
              </thead>
              <tbody>
                {candidates.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <input
                        type="checkbox"
                        name="institution"
                        value={c.id}
                        id={`move-${c.id}`}
                        disabled={c.stageMissing}
                        defaultChecked={result?.chosen.includes(c.id)}
                        aria-label={t("templates.move.chooseOne", { name: c.name })}
                      />
                    </td>
                    <th scope="row">
                      <label htmlFor={`move-${c.id}`}>{c.name}</label> <span className="muted">({c.country})</span>
                    </th>
                    <td>{c.templateId}</td>
                    <td>{c.stageName}</td>
                    <td>
                      {c.stageMissing ? (
                        <p className="field-error">{t("templates.move.stageMissing", { stage: c.stageKey })}</p>
                      ) : (
                        <ChangeList changes={c.changes} />
                      )}
                    </td>
                    <td>
                      {c.before
                        ? t("templates.move.gateChange", {
                            stage: c.before.stageName,
                            before: t(c.before.met ? "templates.move.met" : "templates.move.unmet"),
                            after: c.after ? t(c.after.met ? "templates.move.met" : "templates.move.unmet") : "—",
                          })
                        : t("templates.move.lastStage")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </ScrollTable>
          </fieldset>
          <div className="field">
            <label htmlFor="move-reason">{t("templates.move.reason")}</label>
            <textarea
              id="move-reason"
              name="reason"
              rows={2}
              defaultValue={result?.reason ?? ""}
              aria-invalid={errors.reason ? true : undefined}
              aria-describedby={errors.reason ? "move-reason-error" : undefined}
            />
            {errors.reason ? (
              <p className="field-error" id="move-reason-error">
                {errors.reason}
              </p>
            ) : null}
          </div>
          <SubmitButton busyLabel={t("templates.move.submitting")}>{t("templates.move.submit")}</SubmitButton>
        </Form>
      )}
    </div>
  );
}
