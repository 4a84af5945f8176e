import { Form, Link } from "@remix-run/react";
import { useT } from "~/i18n/react";

type Option = { value: string; label: string };

/**
 * The GET filters the portfolio graph and the stage analytics share: country, type and role. A plain
 * form, so it works before (and without) JavaScript and the address can be shared.
 */
export function FilterForm({
  action,
  label,
  filters,
  options,
  keep = {},
}: {
  action: string;
  label: string;
  filters: { country?: string; type?: string; role?: string };
  options: { countries: Option[]; types: Option[]; roles: Option[] };
  /** Other parameters to keep when the filters change (e.g. the stuck threshold). */
  keep?: Record<string, string | number | undefined>;
}) {
  const t = useT();
  const fields = [
    { name: "country", label: t("filter.country"), all: t("filter.allCountries"), list: options.countries },
    {
      name: "type",
      label: t("filter.type"),
      all: t("filter.allTypes"),
      list: options.types.map((o) => ({ ...o, label: t(`instType.${o.value}`) })),
    },
    {
      name: "role",
      label: t("filter.role"),
      all: t("filter.allRoles"),
      list: options.roles.map((o) => ({ ...o, label: t(`instRole.${o.value}`) })),
    },
  ] as const;
  const filtered = !!(filters.country || filters.type || filters.role);
  return (
    // The key re-mounts the uncontrolled selects when the filters change by a link.
    <Form method="get" action={action} className="filters" aria-label={label} key={JSON.stringify(filters)}>
      {fields.map((f) => (
        <div className="field" key={f.name}>
          <label htmlFor={`filter-${f.name}`}>{f.label}</label>
          <select id={`filter-${f.name}`} name={f.name} defaultValue={filters[f.name] ?? ""}>
            <option value="">{f.all}</option>
            {f.list.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
      ))}
      {Object.entries(keep).map(([k, v]) => (v === undefined ? null : <input key={k} type="hidden" name={k} value={v} />))}
      <div className="filter-actions">
        <button type="submit" className="button button-secondary">
          {t("filter.apply")}
        </button>
        {filtered ? <Link to={action}>{t("filter.clear")}</Link> : null}
      </div>
    </Form>
  );
}
