import type { SerializeFrom } from "@remix-run/node";
import { READINESS_DIMENSIONS, type ReadinessDimension } from "~/domain/records";
import {
  GAP_HIGHLIGHT_POINTS,
  criterionLabelKey,
  criterionLevelKey,
  type CriterionGap,
  type ScoreLevel,
} from "~/features/scorecard/scorecard";
import { useT } from "~/i18n/react";
import type { Translator } from "~/i18n/translate";
import type { loadAssessmentPage } from "~/features/scorecard/scorecard.server";

export type AssessmentPageData = SerializeFrom<Awaited<ReturnType<typeof loadAssessmentPage>>>;
type Summary = NonNullable<AssessmentPageData["ilo"]>;

const mean = (t: Translator, m: number | null) =>
  m === null ? t("scorecard.notScored") : t.number(m, { maximumFractionDigits: 2 });
const signed = (t: Translator, gap: number) => (gap > 0 ? `+${t.number(gap)}` : gap < 0 ? `−${t.number(-gap)}` : t.number(0));

/** The readiness score the gates read (the ILO's), the self-assessment's for comparison, and the weights. */
export function ScorePanel({ data }: { data: AssessmentPageData }) {
  const t = useT();
  const w = data.weights;
  return (
    <section className="panel readiness-score" aria-labelledby="readiness-score-heading">
      <h2 id="readiness-score-heading">{t("scorecard.score.title")}</h2>
      {data.ilo ? (
        <p className="readiness-score-value">
          <strong>{t("scorecard.score.value", { score: t.number(data.ilo.score, { maximumFractionDigits: 1 }) })}</strong>{" "}
          <span className="muted">
            ({t("scorecard.kind.ilo")},{" "}
            {t("scorecard.assessedBy", { date: t.date(data.ilo.assessedOn), name: data.ilo.assessedBy })})
          </span>
        </p>
      ) : (
        <p>{t("scorecard.score.none")}</p>
      )}
      {data.self ? (
        <p className="muted">{t("scorecard.score.self", { score: t.number(data.self.score, { maximumFractionDigits: 1 }) })}</p>
      ) : null}
      <p className="small">
        {t("scorecard.score.weights", {
          template: `${data.template.name} v${data.template.version}`,
          technical: w.technical,
          institutional: w.institutional,
          financial: w.financial,
        })}{" "}
        {data.gates.length > 0
          ? t("scorecard.score.gates", { gates: data.gates.map((g) => `${g.stageName} (≥ ${t.number(g.threshold)})`).join(", ") })
          : t("scorecard.score.noGates")}
      </p>
    </section>
  );
}

function ScoreCell({
  summary,
  criterionKey,
  evidenceNames,
}: {
  summary: Summary | null;
  criterionKey: string;
  evidenceNames: Record<string, string>;
}) {
  const t = useT();
  const s = summary?.scores[criterionKey];
  if (!s) return <td className="score-cell muted">{t("scorecard.notScored")}</td>;
  return (
    <td className="score-cell">
      <span className="score-number">{t.number(s.score)}</span>
      <span className="score-anchor">{t(criterionLevelKey(criterionKey, s.score as ScoreLevel))}</span>
      {s.comment ? <q className="score-comment">{s.comment}</q> : null}
      {s.evidence.length > 0 ? (
        <ul className="score-evidence" aria-label={t("scorecard.evidence.title")}>
          {s.evidence.map((id) => (
            <li key={id}>
              <a href={`/evidence/${id}`}>{evidenceNames[id] ?? id}</a>
            </li>
          ))}
        </ul>
      ) : null}
    </td>
  );
}

function GapCell({ gap }: { gap: CriterionGap }) {
  const t = useT();
  if (gap.gap === null) return <td className="gap-cell muted">–</td>;
  if (!gap.highlighted) return <td className="gap-cell">{signed(t, gap.gap)}</td>;
  return (
    <td className="gap-cell gap-wide">
      <span aria-hidden="true" className="gap-mark">
        ▲
      </span>{" "}
      <strong>{t("scorecard.gap.wide", { gap: signed(t, gap.gap) })}</strong>
      <span className="small">{t(gap.gap > 0 ? "scorecard.gap.selfHigher" : "scorecard.gap.iloHigher")}</span>
    </td>
  );
}

function DimensionTable({ dimension, data }: { dimension: ReadinessDimension; data: AssessmentPageData }) {
  const t = useT();
  const name = t(`scorecard.dimension.${dimension}`);
  const rows = data.gaps.filter((g) => g.dimension === dimension);
  return (
    <div className="table-scroll" role="region" aria-labelledby={`dimension-caption-${dimension}`} tabIndex={0}>
      <table className="scorecard-table" data-dimension={dimension}>
        <caption id={`dimension-caption-${dimension}`}>{t("scorecard.compare.caption", { dimension: name })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("scorecard.col.criterion")}</th>
            <th scope="col">{t("scorecard.col.self")}</th>
            <th scope="col">{t("scorecard.col.ilo")}</th>
            <th scope="col">{t("scorecard.col.gap")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.key} className={g.highlighted ? "row-gap-wide" : undefined} data-criterion={g.key}>
              <th scope="row">{t(criterionLabelKey(g.key))}</th>
              <ScoreCell summary={data.self} criterionKey={g.key} evidenceNames={data.evidenceNames} />
              <ScoreCell summary={data.ilo} criterionKey={g.key} evidenceNames={data.evidenceNames} />
              <GapCell gap={g} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("scorecard.mean")}</th>
            <td>{data.self ? mean(t, data.self.means[dimension]) : "–"}</td>
            <td>{data.ilo ? mean(t, data.ilo.means[dimension]) : "–"}</td>
            <td>
              {data.self && data.ilo && data.self.means[dimension] !== null && data.ilo.means[dimension] !== null
                ? signed(t, Math.round((data.self.means[dimension]! - data.ilo.means[dimension]!) * 100) / 100)
                : "–"}
            </td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** Both assessments side by side, one table per dimension, wide gaps marked in words and a symbol. */
export function Comparison({ data }: { data: AssessmentPageData }) {
  const t = useT();
  const wide = data.gaps.filter((g) => g.highlighted).length;
  const who = (s: Summary | null, kind: "self" | "ilo") =>
    s
      ? `${t(`scorecard.kind.${kind}`)}: ${t("scorecard.assessedBy", { date: t.date(s.assessedOn), name: s.assessedBy })}`
      : t(`scorecard.none.${kind}`);
  return (
    <section aria-labelledby="comparison-heading" className="scorecard-comparison">
      <h2 id="comparison-heading">
        {t("scorecard.col.self")} · {t("scorecard.col.ilo")}
      </h2>
      <ul className="assessment-sources">
        <li>{who(data.self, "self")}</li>
        <li>{who(data.ilo, "ilo")}</li>
      </ul>
      {data.self && data.ilo ? (
        <p className={wide > 0 ? "notice notice-warn gap-summary" : "muted gap-summary"}>
          {t.plural("scorecard.gap.count", wide)}. {t("scorecard.gap.rule", { points: GAP_HIGHLIGHT_POINTS })}
        </p>
      ) : null}
      {READINESS_DIMENSIONS.map((d) => (
        <section key={d}>
          <h3 id={`dimension-${d}`}>{t(`scorecard.dimension.${d}`)}</h3>
          <DimensionTable dimension={d} data={data} />
        </section>
      ))}
    </section>
  );
}

export function History({ data }: { data: AssessmentPageData }) {
  const t = useT();
  return (
    <section aria-labelledby="assessment-history-heading">
      <h2 id="assessment-history-heading">{t("scorecard.history.title")}</h2>
      <div className="table-scroll" role="region" aria-labelledby="assessment-history-caption" tabIndex={0}>
        <table className="assessment-history">
          <caption className="small" id="assessment-history-caption">
            {t("scorecard.history.caption")}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t("scorecard.history.date")}</th>
              <th scope="col">{t("scorecard.history.kind")}</th>
              <th scope="col">{t("scorecard.history.by")}</th>
              {READINESS_DIMENSIONS.map((d) => (
                <th scope="col" key={d}>
                  {t(`scorecard.dimension.${d}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.history.map((a) => (
              <tr key={a.id}>
                <td>{t.date(a.assessedOn)}</td>
                <td>
                  {t(`scorecard.kind.${a.kind}`)}
                  {a.current ? <span className="tag"> {t("scorecard.history.current")}</span> : null}
                </td>
                <td>{a.assessedBy}</td>
                {READINESS_DIMENSIONS.map((d) => (
                  <td key={d}>{mean(t, a.means[d])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
