import type { CriterionResult, GateResult } from "../../domain/gate";

/** A criterion's value the way the gate page words it. */
export function formatCriterionValue(c: Pick<CriterionResult, "unit" | "value">): string {
  if (c.unit === "yes/no") return c.value >= 1 ? "Yes" : "No";
  if (c.unit === "percent") return `${c.value}%`;
  return String(c.value);
}

function Status({ met }: { met: boolean }) {
  return <span className={`gate-status ${met ? "is-met" : "is-unmet"}`}>{met ? "Met" : "Not met"}</span>;
}

/**
 * The gate into the next stage as it stands, and, when a preview was asked for, as it would
 * stand once the report is verified. Changed rows are marked so the effect is easy to find.
 */
export function GatePreview({ current, preview }: { current: GateResult | null; preview?: GateResult | null }) {
  if (!current) return <p>The institution is at the last stage: no gate lies ahead.</p>;
  const after = preview ? new Map(preview.criteria.map((c) => [c.key, c])) : null;
  return (
    <div className="gate-preview">
      <p>
        Gate to <strong>{current.stageName}</strong>: {current.criteria.filter((c) => c.met).length} of {current.criteria.length} criteria met
        {preview ? (
          <>
            {" "}now; <strong>{preview.criteria.filter((c) => c.met).length}</strong> once this report is verified
            {preview.met && !current.met ? <> — <strong>the gate would be met</strong></> : null}
          </>
        ) : null}
        .
      </p>
      <table>
        <caption className="visually-hidden">Criteria of the gate to {current.stageName}</caption>
        <thead>
          <tr>
            <th scope="col">Criterion</th>
            <th scope="col">Required</th>
            <th scope="col">Now</th>
            {after ? <th scope="col">With this report</th> : null}
          </tr>
        </thead>
        <tbody>
          {current.criteria.map((c) => {
            const next = after?.get(c.key);
            const changed = !!next && (next.value !== c.value || next.met !== c.met);
            return (
              <tr key={c.key} className={changed ? "is-changed" : undefined}>
                <th scope="row">
                  {c.label}
                  <span className="basis">{c.basis}</span>
                </th>
                <td>{formatCriterionValue({ unit: c.unit, value: c.threshold })}</td>
                <td>
                  {formatCriterionValue(c)} <Status met={c.met} />
                </td>
                {after ? (
                  <td>
                    {next ? (
                      <>
                        {formatCriterionValue(next)} <Status met={next.met} />
                        {changed ? <span className="visually-hidden"> (changed)</span> : null}
                      </>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
