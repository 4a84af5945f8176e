import { Form } from "@remix-run/react";
import { CsrfInput } from "~/components/CsrfInput";
import { indicatorName } from "~/features/indicators/format";
import { useT } from "~/i18n/react";

/** On /admin/programme: which countries have a public results page, and which indicators those pages show. */
export function ResultsPublication({
  countries,
  indicators,
}: {
  countries: { code: string; name: string; published: boolean }[];
  indicators: { key: string; published: boolean }[];
}) {
  const t = useT();
  return (
    <section aria-labelledby="results-publication">
      <h2 id="results-publication">{t("results.publish.title")}</h2>
      <p>{t("results.publish.intro")}</p>
      <Form method="post">
        <CsrfInput />
        <fieldset>
          <legend>{t("results.publish.countries")}</legend>
          {countries.map((c) => (
            <div key={c.code} className="checkbox">
              <input type="checkbox" id={`publish-${c.code}`} name="country" value={c.code} defaultChecked={c.published} />
              <label htmlFor={`publish-${c.code}`}>{c.name}</label>{" "}
              {c.published ? <a href={`/results/${c.code}`}>{t("results.publish.open", { country: c.name })}</a> : null}
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t("results.publish.indicators")}</legend>
          {indicators.map((i) => (
            <div key={i.key} className="checkbox">
              <input type="checkbox" id={`publish-i-${i.key}`} name="indicator" value={i.key} defaultChecked={i.published} />
              <label htmlFor={`publish-i-${i.key}`}>{indicatorName(t, i.key)}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit" name="intent" value="results-publish">
          {t("results.publish.save")}
        </button>
      </Form>
    </section>
  );
}
