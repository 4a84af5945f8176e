import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useT } from "~/i18n/react";
import { requireTemplateAdmin } from "~/features/templates/templates.server";
import { listCountries } from "../../db/queries/institutions";
import { listTemplateVersions } from "../../db/queries/templates";
import { ScrollTable } from "~/components/ScrollTable";

export const meta: MetaFunction = () => [{ title: "Pathway templates · Pathways" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireTemplateAdmin(request, context);
  const [rows, countries] = await Promise.all([listTemplateVersions(context.db), listCountries(context.db)]);
  const countryName = new Map(countries.map((c) => [c.code, c.name]));
  const groups = new Map<string, { key: string; name: string; country: string | null; versions: typeof rows }>();
  for (const r of rows) {
    const g = groups.get(r.key) ?? {
      key: r.key,
      name: r.name,
      country: r.country_code ? (countryName.get(r.country_code) ?? r.country_code) : null,
      versions: [],
    };
    g.versions.push(r);
    groups.set(r.key, g);
  }
  return json({
    groups: [...groups.values()].map((g) => ({
      ...g,
      versions: g.versions.map((v) => ({
        id: v.id,
        version: v.version,
        status: v.status,
        institutions: v.institutions,
        createdAt: v.created_at.toISOString(),
        createdBy: v.created_by,
        publishedAt: v.published_at ? v.published_at.toISOString() : null,
        publishedBy: v.published_by,
        notes: v.notes,
      })),
    })),
  });
}

export default function Templates() {
  const { groups } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="page">
      <h1>{t("templates.list.title")}</h1>
      <p className="lede">{t("templates.list.lede")}</p>
      {groups.length === 0 ? <p className="empty">{t("templates.list.empty")}</p> : null}
      {groups.map((g) => (
        <section key={g.key} aria-labelledby={`tpl-${g.key}`}>
          <h2 id={`tpl-${g.key}`}>
            {g.country ?? t("templates.list.default")}{" "}
            <span className="muted">
              · {g.name} ({g.key})
            </span>
          </h2>
          <ScrollTable label={t("templates.list.caption", { name: g.key })} className="data">
            <caption className="visually-hidden">{t("templates.list.caption", { name: g.key })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("templates.col.version")}</th>
                <th scope="col">{t("templates.col.status")}</th>
                <th scope="col">{t("templates.col.institutions")}</th>
                <th scope="col">{t("templates.col.created")}</th>
                <th scope="col">{t("templates.col.published")}</th>
                <th scope="col">{t("templates.col.notes")}</th>
              </tr>
            </thead>
            <tbody>
              {g.versions.map((v) => (
                <tr key={v.id}>
                  <th scope="row">
                    <Link to={`/admin/templates/${encodeURIComponent(v.id)}`}>{v.id}</Link>
                  </th>
                  <td>{t(`templates.status.${v.status}`)}</td>
                  <td className="num">{t.number(v.institutions)}</td>
                  <td>{t("templates.view.by", { date: t.date(v.createdAt), who: v.createdBy })}</td>
                  <td>
                    {v.publishedAt ? t("templates.view.by", { date: t.date(v.publishedAt), who: v.publishedBy ?? "" }) : "—"}
                  </td>
                  <td>{v.notes || "—"}</td>
                </tr>
              ))}
            </tbody>
          </ScrollTable>
        </section>
      ))}
    </div>
  );
}
