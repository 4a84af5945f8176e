import { json, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { criteriaMetText, formatDuration } from "~/components/format";
import { loadPortfolio } from "~/components/portfolio.server";
import { assertCan, requireActor } from "~/utils/access.server";

export const meta: MetaFunction = () => [{ title: "Institutions · Pathways" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = await requireActor(request, context);
  assertCan(actor, "view");
  return json(await loadPortfolio(context.db, actor, new URL(request.url).searchParams, new Date()));
}

type Data = SerializeFrom<typeof loader>;

export default function Institutions() {
  const data = useLoaderData<typeof loader>();
  const { filters, institutions } = data;
  const filtered = !!(filters.country || filters.type || filters.stage);
  return (
    <div className="page">
      <div className="page-head">
        <h1>Institutions</h1>
        {data.canCreate ? (
          <Link to="/institutions/new" className="button button-primary">
            New institution
          </Link>
        ) : null}
      </div>
      <FilterForm data={data} />
      <StageCounts data={data} />
      {institutions.length > 0 ? (
        <PortfolioTable institutions={institutions} filtered={filtered} />
      ) : data.anyInstitutions ? (
        <div className="empty-state">
          <p>No institutions match these filters.</p>
          <p>
            <Link to="/institutions">Clear the filters</Link> to see every institution.
          </p>
        </div>
      ) : (
        <div className="empty-state">
          <p>No partner institutions yet.</p>
          {data.canCreate ? (
            <p>
              <Link to="/institutions/new">Add the first institution</Link> to start following its pathway.
            </p>
          ) : null}
        </div>
      )}
    </div>
  );
}

function FilterForm({ data }: { data: Data }) {
  const { filters } = data;
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  // The selects are uncontrolled (so the form works before JavaScript); keep them in step when
  // the filters change by a link, without re-mounting them and losing the keyboard focus.
  useEffect(() => {
    const el = form.current;
    if (!el) return;
    for (const name of ["country", "type", "stage"] as const) {
      const select = el.elements.namedItem(name) as HTMLSelectElement | null;
      if (select) select.value = filters[name] ?? "";
    }
  }, [filters]);

  return (
    <Form
      method="get"
      ref={form}
      className="filters"
      aria-label="Filter institutions"
      onChange={(e) => {
        // Only the chosen filters go in the address, so it stays short and shareable.
        const chosen = new URLSearchParams();
        for (const [k, v] of new FormData(e.currentTarget)) if (typeof v === "string" && v) chosen.set(k, v);
        submit(chosen, { method: "get", replace: true, preventScrollReset: true });
      }}
    >
      <div className="field">
        <label htmlFor="filter-country">Country</label>
        <select id="filter-country" name="country" defaultValue={filters.country ?? ""}>
          <option value="">All countries</option>
          {data.countries.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-type">Type</label>
        <select id="filter-type" name="type" defaultValue={filters.type ?? ""}>
          <option value="">All types</option>
          {data.types.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-stage">Stage</label>
        <select id="filter-stage" name="stage" defaultValue={filters.stage ?? ""}>
          <option value="">All stages</option>
          {data.stageCounts.map((s) => (
            <option key={s.key} value={s.key}>
              {s.name}
            </option>
          ))}
        </select>
      </div>
      <div className="filter-actions">
        <button type="submit" className="button button-secondary">
          Apply filters
        </button>
        {filters.country || filters.type || filters.stage ? <Link to="/institutions">Clear filters</Link> : null}
      </div>
    </Form>
  );
}

function stageHref(filters: Data["filters"], stage: string | null) {
  const p = new URLSearchParams();
  if (filters.country) p.set("country", filters.country);
  if (filters.type) p.set("type", filters.type);
  if (stage) p.set("stage", stage);
  const q = p.toString();
  return q ? `/institutions?${q}` : "/institutions";
}

function StageCounts({ data }: { data: Data }) {
  const { filters, stageCounts } = data;
  return (
    <nav className="stage-counts" aria-label="Institutions per stage">
      <ul>
        <li>
          <Link to={stageHref(filters, null)} aria-current={!filters.stage ? "true" : undefined}>
            <span className="count">{data.inScopeCount}</span> All stages
          </Link>
        </li>
        {stageCounts.map((s) => (
          <li key={s.key}>
            <Link to={stageHref(filters, s.key)} aria-current={filters.stage === s.key ? "true" : undefined}>
              <span className="count">{s.count}</span> {s.name}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function PortfolioTable({ institutions, filtered }: { institutions: Data["institutions"]; filtered: boolean }) {
  const n = institutions.length;
  return (
    <div className="table-scroll" role="region" aria-labelledby="portfolio-caption" tabIndex={0}>
      <table className="portfolio">
        <caption id="portfolio-caption">
          {n} {n === 1 ? "institution" : "institutions"}
          {filtered ? " matching the filters" : ""}, by country
        </caption>
        <thead>
          <tr>
            <th scope="col">Institution</th>
            <th scope="col">Stage</th>
            <th scope="col">Next gate</th>
            <th scope="col">Time in stage</th>
            <th scope="col">Country</th>
            <th scope="col">Type</th>
          </tr>
        </thead>
        <tbody>
          {institutions.map((i) => (
            <tr key={i.id}>
              <th scope="row">
                <Link to={`/institutions/${i.id}`}>{i.name}</Link>
                <Flags institution={i} />
              </th>
              {/* Stage and progress come first: they are what a phone shows without scrolling. */}
              <td>
                {i.stage}
                <span className="muted small">
                  {" "}
                  ({i.stageOrder} of {i.stageTotal})
                </span>
              </td>
              <td>
                <GateProgress gate={i.nextGate} />
              </td>
              <td className="time">{formatDuration(i.daysInStage)}</td>
              <td>{i.country}</td>
              <td>{i.type}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Flags({ institution: i }: { institution: Data["institutions"][number] }) {
  if (!i.nextGate?.awaitingSignOff && !i.slipFlag && !i.discontinued) return null;
  return (
    <ul className="flags">
      {i.nextGate?.awaitingSignOff ? <li className="flag flag-ok">Awaiting sign-off</li> : null}
      {i.slipFlag ? (
        <li className="flag flag-warn" title={i.slipFlag.reason}>
          Flagged for slip back
        </li>
      ) : null}
      {i.discontinued ? <li className="flag">Discontinued</li> : null}
    </ul>
  );
}

function GateProgress({ gate }: { gate: Data["institutions"][number]["nextGate"] }) {
  if (!gate) return <span className="muted">Final stage reached</span>;
  return (
    <div className="gate-progress">
      <div className="bar" aria-hidden="true">
        <span style={{ width: `${gate.progress}%` }} />
      </div>
      <span>{criteriaMetText(gate.met, gate.total)}</span>{" "}
      <span className="muted small for">for {gate.stage}</span>
    </div>
  );
}
