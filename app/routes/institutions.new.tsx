import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SelectField, TextField, type FormState } from "~/components/forms/fields";
import { SubmitButton } from "~/components/forms/SubmitButton";
import { requireAllowed } from "~/platform/guard.server";
import { seesCountry } from "~/platform/policy";
import { ensurePathwayStarted } from "~/features/pathway/pathway.server";
import { formValues } from "~/features/reports/report-form";
import { refusalOf } from "~/platform/workflow-update.server";
import {
  createInstitution,
  getInstitution,
  INSTITUTION_ROLES,
  INSTITUTION_TYPES,
  listCountries,
} from "../../db/queries/institutions";
import type { InstitutionRole, InstitutionType } from "../../db/schema";
import { CsrfInput } from "~/components/CsrfInput";
import { getTranslator } from "~/i18n/server";
import { pageTitle } from "~/i18n/meta";
import { useT } from "~/i18n/react";
import { readForm, withFieldRefusals } from "~/platform/request-body.server";
import { redirectWithNotice } from "~/platform/flash.server";

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "inst.new.pageTitle");

const keys = <K extends string>(o: Record<K, string>) => Object.keys(o) as [K, ...K[]];

// Built when used, so the browser bundle of this page need not carry zod.
const NewInstitutionSchema = () =>
  z.object({
    id: z.uuid("This form is out of date; reload the page"),
    name: z.string().trim().min(2, "Enter the institution's name").max(200, "Keep the name under 200 characters"),
    countryCode: z.string().min(1, "Choose a country"),
    type: z.enum(keys<InstitutionType>(INSTITUTION_TYPES), { message: "Choose the type of institution" }),
    role: z.enum(keys<InstitutionRole>(INSTITUTION_ROLES), { message: "Choose the institution's role in SCORE" }),
  });

const options = (o: Record<string, string>) => Object.entries(o).map(([value, label]) => ({ value, label }));

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireAllowed(request, context, "create_institution");
  // An officer is offered only the countries they may create institutions in.
  const countries = (await listCountries(context.db)).filter((c) => seesCountry(actor, c.code));
  return json({
    // Made here, carried in the form: a double submit or a retry creates one institution.
    id: crypto.randomUUID(),
    countries: countries.map((c) => ({ value: c.code, label: c.name })),
    types: options(INSTITUTION_TYPES),
    roles: options(INSTITUTION_ROLES),
  });
}

function isUniqueViolation(e: unknown): e is { code: string; constraint?: string } {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "23505";
}

/** Refused fields come back to the form (see `withFieldRefusals`). */
export function action(args: ActionFunctionArgs) {
  return withFieldRefusals(() => submit(args));
}

async function submit({ request, context }: ActionFunctionArgs) {
  const actor = await requireAllowed(request, context, "create_institution");
  const values = formValues(await readForm(request));
  const refuse = (errors: Record<string, string>, status = 400, formError?: string) =>
    json({ values, errors, formError }, { status });

  const parsed = NewInstitutionSchema().safeParse(values);
  const countries = (await listCountries(context.db)).filter((c) => seesCountry(actor, c.code));
  const errors: Record<string, string> = {};
  if (!parsed.success) for (const issue of parsed.error.issues) errors[issue.path.join(".")] ??= issue.message;
  if (values.countryCode && !countries.some((c) => c.code === values.countryCode)) errors.countryCode = "Choose a country";
  if (!parsed.success || Object.keys(errors).length > 0) return refuse(errors);
  const input = parsed.data;

  let name = input.name;
  try {
    await context.db.transaction().execute((trx) => createInstitution(trx, input, actor.name, new Date()));
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    // The same form sent again: the institution exists already, go there (its pathway is started below).
    const existing = await getInstitution(context.db, input.id);
    if (!existing) {
      const country = countries.find((c) => c.code === input.countryCode)?.name ?? input.countryCode;
      const t = getTranslator(request, actor);
      return refuse({ name: t("inst.new.exists", { country }) });
    }
    name = existing.name;
  }

  try {
    await ensurePathwayStarted(context.temporal, context.config.TEMPORAL_TASK_QUEUE, input.id);
  } catch (e) {
    if (!refusalOf(e)) throw e;
    const t = getTranslator(request, actor);
    return refuse({}, 503, t("inst.new.noPathway"));
  }
  const t = getTranslator(request, actor);
  return redirectWithNotice(request, context, `/institutions/${input.id}`, t("inst.new.added", { name }));
}

export default function NewInstitution() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const state: FormState = { values: result?.values ?? {}, errors: result?.errors ?? {} };
  return (
    <div className="form-page">
      <p className="breadcrumb">
        <Link to="/institutions">{t("nav.institutions")}</Link>
      </p>
      <h1>{t("inst.new.title")}</h1>
      <p className="lead">{t("inst.new.lead")}</p>
      <ErrorSummary state={state} formError={result?.formError} />
      <Form method="post" className="form-card" noValidate>
        <CsrfInput />
        <input type="hidden" name="id" value={state.values.id || data.id} />
        <div className="fields">
          <TextField
            name="name"
            label={t("inst.new.name")}
            state={state}
            className="field-wide"
            autoComplete="organization"
            maxLength={200}
          />
          <SelectField name="countryCode" label={t("inst.new.country")} state={state} options={data.countries} />
          <SelectField
            name="type"
            label={t("inst.new.type")}
            state={state}
            options={data.types.map((o) => ({ ...o, label: t(`instType.${o.value}`) }))}
          />
          <SelectField
            name="role"
            label={t("inst.new.role")}
            state={state}
            options={data.roles.map((o) => ({ ...o, label: t(`instRole.${o.value}`) }))}
          />
        </div>
        <div className="actions">
          <SubmitButton busyLabel={t("inst.new.creating")}>{t("inst.new.create")}</SubmitButton>
          <Link to="/institutions">{t("forms.cancel")}</Link>
        </div>
      </Form>
    </div>
  );
}
