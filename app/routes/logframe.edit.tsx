import {
  json,
  redirect,
  type ActionFunctionArgs,
  type LinksFunction,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { TextArea, TextField, type FormState } from "~/components/forms/fields";
import { SubmitButton } from "~/components/forms/SubmitButton";
import { readActual, readEvidence, readNote, type FieldErrors } from "~/features/indicators/edit-form";
import { partName } from "~/features/indicators/format";
import { dimensionUnit, readDimension } from "~/features/indicators/dimensions";
import { readTargetInput } from "~/features/indicators/figure-value";
import { indicatorDefinition, type IndicatorDefinition } from "~/features/indicators/indicators";
import { useT } from "~/i18n/react";
import { getTranslator } from "~/i18n/server";
import logframeStyles from "~/styles/logframe.css";
import { requireAllowed } from "~/platform/guard.server";
import { DEFAULT_TEMPLATE_ID } from "../../db/reference-data";
import { getCountry, getTemplate, listModules } from "../../db/queries/institutions";
import {
  deleteTarget,
  getTarget,
  listPhases,
  loadManualActuals,
  savePhaseSettings,
  upsertManualActual,
  upsertTarget,
} from "../../db/queries/indicators";
import { readForm, withFieldRefusals } from "~/platform/request-body.server";
import { indicatorSettingsSchema } from "~/features/programme/programme-rules";

export const meta: MetaFunction = () => [{ title: "Logframe target · Pathways" }];
export const links: LinksFunction = () => [{ rel: "stylesheet", href: logframeStyles }];

type Ctx = LoaderFunctionArgs["context"];

/**
 * The phase, country and indicator of the query, each of which must exist: 404 otherwise. A query
 * without them (an address typed or cut short) goes to the logframe instead.
 */
async function cellOf(request: Request, context: Ctx) {
  const p = new URL(request.url).searchParams;
  if (!p.get("phase") || !p.get("country") || !p.get("indicator")) throw redirect("/logframe");
  const def = indicatorDefinition(p.get("indicator") ?? "");
  const phase = (await listPhases(context.db)).find((x) => x.key === p.get("phase"));
  const country = await getCountry(context.db, p.get("country") ?? "");
  if (!def || !phase || !country) throw new Response("Not found", { status: 404 });
  // The part of the indicator (women, men, women_share, module:M1+M2), '' for the whole: an unknown part is 404.
  const modules = (await listModules(context.db)).map((m) => m.code);
  const dim = readDimension(def, p.get("dimension") ?? "", modules);
  if (!dim.ok) throw new Response("Not found", { status: 404 });
  return { def, phase, country, dimension: dim.value, unit: dimensionUnit(def, dim.value) };
}

/** `/logframe/edit?phase=&country=&indicator=`: an ILO administrator or manager sets the target and, for manual indicators, the actual. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAllowed(request, context, "logframe_edit");
  const { def, phase, country, dimension } = await cellOf(request, context);
  const target = await getTarget(context.db, def.key, country.code, phase.key, dimension);
  const manual =
    def.source === "manual" && dimension === ""
      ? ((await loadManualActuals(context.db, phase.key)).get(`${def.key}|${country.code}`) ?? null)
      : null;
  return json({
    phase,
    country,
    indicator: { key: def.key, source: def.source, unit: def.unit },
    dimension,
    target: {
      values: {
        target: target && target.target !== null ? String(Number(target.target)) : "",
        targetText: target?.target_text ?? "",
        targetNote: target?.note ?? "",
      },
      errors: {},
    } as FormState,
    actual: {
      values: {
        value: manual ? (manual.value === null ? (manual.text ? "" : "unknown") : String(manual.value)) : "",
        valueText: manual?.text ?? "",
        evidence: manual?.evidence ?? "",
        note: manual?.note ?? "",
      },
      errors: {},
    } as FormState,
  });
}

type ActionResult = { intent: "target" | "actual"; state: FormState };

function fail(intent: ActionResult["intent"], values: Record<string, string>, errors: FieldErrors) {
  return json<ActionResult>({ intent, state: { values, errors } }, { status: 400 });
}

/** Refused fields come back to the form (see `withFieldRefusals`). */
export function action(args: ActionFunctionArgs) {
  return withFieldRefusals(() => submit(args));
}

async function submit({ request, context }: ActionFunctionArgs) {
  const actor = await requireAllowed(request, context, "logframe_edit");
  // Every form here names at least its phase in the address. Refused before the form is read, so a
  // refusal is never followed by the page's loader sending the reader on to /logframe (a 302).
  if (!new URL(request.url).searchParams.get("phase"))
    throw new Response("This form names no programme phase in its address.", { status: 400 });
  const t = getTranslator(request, actor);
  const form = await readForm(request);
  const intent = form.get("intent");
  const text = (k: string) => (typeof form.get(k) === "string" ? String(form.get(k)) : "");
  const url = new URL(request.url);
  const back = `/logframe?phase=${encodeURIComponent(url.searchParams.get("phase") ?? "")}&saved=1`;
  if (intent === "settings") {
    // One phase's definition of "embedding SCORE": a stage, the portfolio flag, or both.
    const phaseKey = url.searchParams.get("phase") ?? "";
    const phase = (await listPhases(context.db)).find((x) => x.key === phaseKey);
    if (!phase) throw new Response(t("indicators.error.notFound"), { status: 404 });
    const template = await getTemplate(context.db, DEFAULT_TEMPLATE_ID);
    // The same rule as the programme set-up page's form (a stage of the pathway, the flag, or both).
    const parsed = indicatorSettingsSchema(template.definition.stages.map((s) => s.key)).safeParse({
      embeddingStage: text("embeddingStage"),
      embeddingPortfolioFlag: text("embeddingPortfolioFlag") || undefined,
    });
    if (!parsed.success) throw new Response(t(parsed.error.issues[0].message), { status: 400 });
    const settings = parsed.data;
    await context.db.transaction().execute((trx) => savePhaseSettings(trx, phase.key, settings, actor.id, new Date()));
    return redirect(back);
  }
  const { def, phase, country, dimension, unit } = await cellOf(request, context);
  if (intent === "target") return saveTarget(def, phase.key, country.code);
  if (intent === "actual" && def.source === "manual" && dimension === "") {
    const values = { value: text("value"), valueText: text("valueText"), evidence: text("evidence"), note: text("note") };
    const qualitative = values.valueText.trim();
    const value =
      qualitative === ""
        ? readActual(values.value, def.unit)
        : values.value.trim() !== ""
          ? ({ ok: false, error: "indicators.error.oneValue" } as const)
          : qualitative.length > 500
            ? ({ ok: false, error: "indicators.error.text" } as const)
            : ({ ok: true, value: null } as const);
    const evidence = readEvidence(values.evidence);
    const note = readNote(values.note);
    const errors: FieldErrors = {};
    if (!value.ok) errors.value = t(value.error);
    if (!evidence.ok) errors.evidence = t(evidence.error);
    if (!note.ok) errors.note = t(note.error);
    if (!value.ok || !evidence.ok || !note.ok) return fail("actual", values, errors);
    await context.db.transaction().execute((trx) =>
      upsertManualActual(
        trx,
        {
          indicatorKey: def.key,
          country: country.code,
          phaseKey: phase.key,
          value: value.value,
          text: qualitative || null,
          evidence: evidence.value,
          note: note.value,
        },
        actor.id,
        new Date(),
      ),
    );
    return redirect(back);
  }
  throw new Response("Unknown form", { status: 400 });

  async function saveTarget(d: IndicatorDefinition, phaseKey: string, countryCode: string) {
    const values = { target: text("target"), targetText: text("targetText"), targetNote: text("targetNote") };
    // A blank target (no figure, no text) clears the cell's target (audited), rather than being refused.
    if (values.target.trim() === "" && values.targetText.trim() === "") {
      await context.db
        .transaction()
        .execute((trx) =>
          deleteTarget(trx, { indicatorKey: d.key, country: countryCode, phaseKey, dimension }, actor.id, new Date()),
        );
      return redirect(back);
    }
    const target = readTargetInput(values.target, values.targetText, unit);
    const note = readNote(values.targetNote);
    const errors: FieldErrors = {};
    if (!target.ok) errors[target.field] = t(target.error);
    if (!note.ok) errors.targetNote = t(note.error);
    if (!target.ok || !note.ok) return fail("target", values, errors);
    await context.db.transaction().execute((trx) =>
      upsertTarget(
        trx,
        {
          indicatorKey: d.key,
          country: countryCode,
          phaseKey,
          dimension,
          target: target.target,
          text: target.text,
          note: note.value,
        },
        actor.id,
        new Date(),
      ),
    );
    return redirect(back);
  }
}

export default function EditLogframeCell() {
  const data = useLoaderData<typeof loader>();
  const refused = useActionData<typeof action>();
  const t = useT();
  // A field refused at the edge (control characters, too long) comes back as the form's values and errors.
  const back = !refused
    ? null
    : "intent" in refused
      ? refused
      : { intent: refused.values.intent, state: { values: refused.values, errors: refused.errors } };
  const target = back?.intent === "target" ? back.state : data.target;
  const actual = back?.intent === "actual" ? back.state : data.actual;
  const name = partName(t, data.indicator.key, data.dimension);
  return (
    <div className="page">
      <nav aria-label={t("shell.breadcrumb")} className="breadcrumb">
        <Link to={`/logframe?phase=${encodeURIComponent(data.phase.key)}`}>{t("indicators.records.back")}</Link>
      </nav>
      <h1>{t("indicators.editPage.title", { indicator: name, country: data.country.name, phase: data.phase.name })}</h1>
      <Form method="post" noValidate>
        <CsrfInput />
        <TextField name="target" label={t("indicators.editPage.target")} state={target} inputMode="decimal" />
        <TextArea name="targetText" label={t("indicators.editPage.targetText")} state={target} rows={2} />
        <TextArea name="targetNote" label={t("indicators.editPage.targetNote")} state={target} rows={2} />
        <SubmitButton value="target" busyLabel={t("shell.loading")}>
          {t("indicators.editPage.saveTarget")}
        </SubmitButton>
      </Form>
      {data.indicator.source === "manual" && data.dimension === "" ? (
        <section aria-labelledby="manual-actual">
          <h2 id="manual-actual">
            {t("indicators.editPage.manualTitle")} <span className="manual-mark">{t("indicators.manual")}</span>
          </h2>
          <Form method="post" noValidate>
            <CsrfInput />
            <TextField
              name="value"
              label={t("indicators.editPage.value")}
              state={actual}
              inputMode="decimal"
              hint={`${t(`indicators.how.${data.indicator.key}`, { stage: "" })} ${t("indicators.editPage.unknownHint")}`}
            />
            <TextArea name="valueText" label={t("indicators.editPage.valueText")} state={actual} rows={2} />
            <TextField
              name="evidence"
              label={t("indicators.editPage.evidence")}
              state={actual}
              hint={t("indicators.editPage.evidenceHint")}
            />
            <TextArea name="note" label={t("indicators.editPage.note")} state={actual} rows={2} />
            <SubmitButton value="actual" busyLabel={t("shell.loading")}>
              {t("indicators.editPage.saveActual")}
            </SubmitButton>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
