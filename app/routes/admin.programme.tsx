import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { ScrollTable } from "~/components/ScrollTable";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { ISO_4217 } from "~/domain/currency";
import {
  CountrySchema,
  fieldErrors,
  indicatorSettingsSchema,
  PhaseSchema,
  phaseKeyOf,
} from "~/features/programme/programme-rules";
import { labelIn } from "~/i18n/template-labels";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { getTranslator, resolveLocale } from "~/i18n/server";
import { redirectWithNotice } from "~/platform/flash.server";
import { requireAllowed } from "~/platform/guard.server";
import { readForm } from "~/platform/request-body.server";
import { ResultsPublication } from "~/features/api/ResultsPublication";
import { loadPublication, savePublication } from "~/features/api/results.server";
import {
  countInstitutionsIn,
  createPhase,
  listCountriesWithCurrency,
  listPhases,
  overlappingPhase,
  saveCountry,
  updatePhase,
} from "../../db/queries/programme";
import { loadIndicatorSettings, savePhaseSettings } from "../../db/queries/indicators";
import { getTemplate } from "../../db/queries/institutions";
import { DEFAULT_TEMPLATE_ID } from "../../db/reference-data";

/**
 * Programme set-up for administrators: the phases the logframe reports on (name and dates; no
 * two overlap; every change audited) and the countries with their currency, whose ISO 4217 digits
 * decide how amounts are typed and shown (docs/decisions/020-adoption.md).
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "programme.pageTitle");

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireAllowed(request, context, "administer");
  const [phases, countries, publication, template] = await Promise.all([
    listPhases(context.db),
    listCountriesWithCurrency(context.db),
    loadPublication(context.db),
    getTemplate(context.db, DEFAULT_TEMPLATE_ID),
  ]);
  const locale = resolveLocale(request, actor);
  // Each phase's own definition of the embedding indicator: changing one never rewrites another's figures.
  const settings = await Promise.all(phases.map((p) => loadIndicatorSettings(context.db, p.key)));
  return json({
    publication,
    phases: phases.map((p, i) => ({ ...p, settings: settings[i] })),
    stages: template.definition.stages.map((s) => ({ key: s.key, name: labelIn(s, "name", locale) })),
    countries: countries.map((c) => ({ ...c, institutions: Number(c.institutions ?? 0) })),
    currencies: Object.keys(ISO_4217).sort(),
  });
}

type ActionResult = { form: string; errors: Record<string, string>; values: Record<string, string> };

/** PostgreSQL's exclusion violation: two phases saved at once that overlap each other. */
const isOverlapViolation = (e: unknown) => (e as { code?: string })?.code === "23P01";
const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === "23505";

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = await requireAllowed(request, context, "administer");
  const form = await readForm(request);
  const intent = String(form.get("intent") ?? "");
  const { db } = context;
  const t = getTranslator(request, actor);
  const now = new Date();
  const values = Object.fromEntries([...form.entries()].filter(([k]) => k !== "csrf").map(([k, v]) => [k, String(v)]));
  const refuse = (formId: string, errors: Record<string, string>, status = 400) =>
    json<ActionResult>({ form: formId, errors, values }, { status });
  const translated = (errors: Record<string, string>) => Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, t(v)]));

  if (intent === "phase-create" || intent === "phase-update") {
    const creating = intent === "phase-create";
    const formId = creating ? "phase-new" : `phase-${values.key ?? ""}`;
    const parsed = PhaseSchema.safeParse({
      ...values,
      key: creating && !values.key?.trim() ? phaseKeyOf(values.name ?? "") : values.key,
    });
    if (!parsed.success) return refuse(formId, translated(fieldErrors(parsed.error)));
    const p = parsed.data;
    try {
      const outcome = await db.transaction().execute(async (trx) => {
        const clash = await overlappingPhase(trx, p.startsOn, p.endsOn, creating ? undefined : p.key);
        if (clash) return { clash };
        if (creating) {
          await createPhase(trx, p, actor.email, now);
          return { ok: true };
        }
        return (await updatePhase(trx, p, actor.email, now)) ? { ok: true } : { missing: true };
      });
      if ("clash" in outcome && outcome.clash)
        return refuse(formId, {
          startsOn: t("programme.error.overlap", {
            name: outcome.clash.name,
            from: t.date(outcome.clash.starts_on),
            to: t.date(outcome.clash.ends_on),
          }),
        });
      if ("missing" in outcome) return refuse(formId, { name: t("programme.error.noPhase") }, 404);
    } catch (e) {
      if (isOverlapViolation(e))
        return refuse(formId, { startsOn: t("programme.error.overlap", { name: "", from: "", to: "" }) });
      if (isUniqueViolation(e)) return refuse(formId, { key: t("programme.error.keyTaken") });
      throw e;
    }
    return redirectWithNotice(
      request,
      context,
      "/admin/programme",
      t(creating ? "programme.phase.created" : "programme.phase.updated", { name: p.name }),
    );
  }

  if (intent === "country-save") {
    const formId = values.existing ? `country-${values.existing}` : "country-new";
    const parsed = CountrySchema.safeParse(values.existing ? { ...values, code: values.existing } : values);
    if (!parsed.success) return refuse(formId, translated(fieldErrors(parsed.error)));
    const c = parsed.data;
    const refusal = await db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom("countries").selectAll().where("code", "=", c.code).executeTakeFirst();
      if (current && current.currency !== c.currency) {
        const n = await countInstitutionsIn(trx, c.code);
        if (n > 0) return { currency: t("programme.error.currencyInUse", { count: t.number(n), currency: current.currency }) };
      }
      await saveCountry(trx, c, actor.email, now);
      return null;
    });
    if (refusal) return refuse(formId, refusal);
    return redirectWithNotice(request, context, "/admin/programme", t("programme.country.saved", { name: c.name }));
  }

  if (intent === "phase-settings") {
    const key = values.key ?? "";
    const formId = `settings-${key}`;
    const phase = (await listPhases(db)).find((p) => p.key === key);
    if (!phase) return refuse(formId, { embeddingStage: t("programme.error.noPhase") }, 404);
    const stages = (await getTemplate(db, DEFAULT_TEMPLATE_ID)).definition.stages.map((s) => s.key);
    const parsed = indicatorSettingsSchema(stages).safeParse(values);
    if (!parsed.success) return refuse(formId, translated(fieldErrors(parsed.error)));
    await db.transaction().execute((trx) => savePhaseSettings(trx, phase.key, parsed.data, actor.id, now));
    return redirectWithNotice(request, context, "/admin/programme", t("programme.settings.saved", { name: phase.name }));
  }

  if (intent === "results-publish") {
    await savePublication(db, form, actor.email);
    return redirectWithNotice(request, context, "/admin/programme", t("results.publish.saved"));
  }

  return json<ActionResult>({ form: "", errors: {}, values }, { status: 400 });
}

export default function ProgrammeSetup() {
  const { phases, countries, currencies, publication, stages } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const t = useT();
  const errorsOf = (formId: string) => (data?.form === formId ? data.errors : {});
  const valuesOf = (formId: string) => (data?.form === formId ? data.values : null);
  const err = (formId: string, field: string) => {
    const e = errorsOf(formId)[field];
    return e ? (
      <p className="field-error" id={`${formId}-${field}-error`}>
        {e}
      </p>
    ) : null;
  };
  const input = (formId: string, field: string, label: string, opts: { type?: string; value?: string; hint?: string } = {}) => {
    const id = `${formId}-${field}`;
    const invalid = !!errorsOf(formId)[field];
    return (
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input
          id={id}
          name={field}
          type={opts.type ?? "text"}
          defaultValue={valuesOf(formId)?.[field] ?? opts.value ?? ""}
          aria-invalid={invalid}
          aria-describedby={invalid ? `${id}-error` : opts.hint ? `${id}-hint` : undefined}
        />
        {opts.hint ? (
          <p className="hint" id={`${id}-hint`}>
            {opts.hint}
          </p>
        ) : null}
        {err(formId, field)}
      </div>
    );
  };
  const currencySelect = (formId: string, value: string) => {
    const id = `${formId}-currency`;
    const invalid = !!errorsOf(formId).currency;
    return (
      <div className="field">
        <label htmlFor={id}>{t("programme.country.currency")}</label>
        <select
          id={id}
          name="currency"
          defaultValue={valuesOf(formId)?.currency ?? value}
          aria-invalid={invalid}
          aria-describedby={invalid ? `${id}-error` : undefined}
        >
          {currencies.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        {err(formId, "currency")}
      </div>
    );
  };

  return (
    <div className="page">
      <h1>{t("programme.title")}</h1>
      <p>{t("programme.intro")}</p>

      <h2>{t("programme.phases")}</h2>
      {phases.length === 0 ? <p>{t("programme.phases.none")}</p> : null}
      {phases.map((p) => {
        const formId = `phase-${p.key}`;
        return (
          <Form method="post" noValidate key={p.key} className="inline-form" aria-label={p.name}>
            <CsrfInput />
            <input type="hidden" name="key" value={p.key} />
            <p>
              <code>{p.key}</code>
            </p>
            {input(formId, "name", t("programme.phase.name"), { value: p.name })}
            {input(formId, "startsOn", t("programme.phase.startsOn"), { type: "date", value: p.starts_on })}
            {input(formId, "endsOn", t("programme.phase.endsOn"), { type: "date", value: p.ends_on })}
            <button type="submit" name="intent" value="phase-update" className="secondary" disabled={busy}>
              {t("programme.phase.save")}
            </button>
          </Form>
        );
      })}
      <h3>{t("programme.phase.add")}</h3>
      <Form method="post" noValidate>
        <CsrfInput />
        {input("phase-new", "name", t("programme.phase.name"))}
        {input("phase-new", "key", t("programme.phase.key"), { hint: t("programme.phase.keyHint") })}
        {input("phase-new", "startsOn", t("programme.phase.startsOn"), { type: "date" })}
        {input("phase-new", "endsOn", t("programme.phase.endsOn"), { type: "date" })}
        <button type="submit" name="intent" value="phase-create" disabled={busy}>
          {t("programme.phase.add")}
        </button>
      </Form>

      <h3>{t("programme.settings.title")}</h3>
      <p className="hint">{t("indicators.settings.hint")}</p>
      {phases.map((p) => {
        const formId = `settings-${p.key}`;
        const id = `${formId}-embeddingStage`;
        const invalid = !!errorsOf(formId).embeddingStage;
        const typed = valuesOf(formId);
        return (
          <Form
            method="post"
            noValidate
            key={formId}
            className="inline-form"
            aria-label={t("indicators.settings.phaseTitle", { phase: p.name })}
          >
            <CsrfInput />
            <input type="hidden" name="key" value={p.key} />
            <p>
              <strong>{t("indicators.settings.phaseTitle", { phase: p.name })}</strong>
            </p>
            <div className="field">
              <label htmlFor={id}>{t("indicators.settings.embedding")}</label>
              <select
                id={id}
                name="embeddingStage"
                defaultValue={typed ? (typed.embeddingStage ?? "") : (p.settings.embeddingStage ?? "")}
                aria-invalid={invalid}
                aria-describedby={invalid ? `${id}-error` : undefined}
              >
                <option value="">{t("indicators.settings.stageNone")}</option>
                {stages.map((s) => (
                  <option key={s.key} value={s.key}>
                    {s.name}
                  </option>
                ))}
              </select>
              {err(formId, "embeddingStage")}
            </div>
            <div className="field field-check">
              <input
                id={`${formId}-flag`}
                type="checkbox"
                name="embeddingPortfolioFlag"
                defaultChecked={typed ? typed.embeddingPortfolioFlag === "on" : p.settings.embeddingPortfolioFlag}
              />
              <label htmlFor={`${formId}-flag`}>{t("indicators.settings.flag")}</label>
            </div>
            <button type="submit" name="intent" value="phase-settings" className="secondary" disabled={busy}>
              {t("indicators.settings.save")}
            </button>
          </Form>
        );
      })}

      <h2>{t("programme.countries")}</h2>
      <ScrollTable className="data" label={t("programme.countries")}>
        <thead>
          <tr>
            <th scope="col">{t("programme.country.code")}</th>
            <th scope="col">{t("programme.country.name")}</th>
            <th scope="col">{t("programme.country.digits")}</th>
            <th scope="col">{t("programme.country.institutions")}</th>
            <th scope="col">{t("programme.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {countries.map((c) => {
            const formId = `country-${c.code}`;
            return (
              <tr key={c.code}>
                <td>{c.code}</td>
                <td>{c.name}</td>
                <td>{t("programme.country.digitsValue", { inUse: t.number(c.digits_in_use), iso: t.number(c.minor_units) })}</td>
                <td>{t.number(c.institutions)}</td>
                <td>
                  <Form method="post" noValidate className="inline-form" aria-label={c.name}>
                    <CsrfInput />
                    <input type="hidden" name="existing" value={c.code} />
                    {input(formId, "name", t("programme.country.name"), { value: c.name })}
                    {currencySelect(formId, c.currency)}
                    <button type="submit" name="intent" value="country-save" className="secondary" disabled={busy}>
                      {t("programme.country.save")}
                    </button>
                  </Form>
                </td>
              </tr>
            );
          })}
        </tbody>
      </ScrollTable>
      <h3>{t("programme.country.add")}</h3>
      <Form method="post" noValidate>
        <CsrfInput />
        {input("country-new", "code", t("programme.country.code"), { hint: t("programme.country.codeHint") })}
        {input("country-new", "name", t("programme.country.name"))}
        {currencySelect("country-new", "USD")}
        <button type="submit" name="intent" value="country-save" disabled={busy}>
          {t("programme.country.add")}
        </button>
      </Form>
      <ResultsPublication countries={publication.countries} indicators={publication.indicators} />
    </div>
  );
}
