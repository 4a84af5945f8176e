import { useT } from "~/i18n/react";
import { ScrollTable } from "~/components/ScrollTable";

/** The OpenAPI document, as the reference page reads it (only what it shows). */
export interface JsonSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  allOf?: JsonSchema[];
  description?: string;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  default?: unknown;
}

export interface ApiDocument {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, OperationDoc>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

interface OperationDoc {
  operationId: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: JsonSchema }> }>;
}

const refName = (ref: string) => ref.split("/").pop() ?? ref;

/** A schema in a few words: `string (uuid)`, `array of Report`, `"verify" | "return"`. */
export function typeOf(s: JsonSchema | undefined): string {
  if (!s) return "";
  if (s.$ref) return refName(s.$ref);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.const !== undefined) return JSON.stringify(s.const);
  const alts = s.oneOf ?? s.anyOf;
  if (alts) return alts.map(typeOf).join(" | ");
  if (s.allOf) return s.allOf.map(typeOf).join(" & ");
  const type = Array.isArray(s.type) ? s.type.join(" | ") : (s.type ?? "any");
  if (type === "array") return `array of ${typeOf(s.items)}`;
  const extras = [
    s.format,
    s.pattern ? `pattern ${s.pattern}` : null,
    s.minimum !== undefined ? `≥ ${s.minimum}` : null,
    s.maximum !== undefined ? `≤ ${s.maximum}` : null,
  ].filter(Boolean);
  return extras.length ? `${type} (${extras.join(", ")})` : type;
}

function Properties({ schema, label }: { schema: JsonSchema; label: string }) {
  const t = useT();
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants && variants.some((v) => v.properties))
    return (
      <>
        {variants.map((v, i) => (
          <Properties key={i} schema={v} label={`${label} · ${i + 1}`} />
        ))}
      </>
    );
  if (!schema.properties) return <p>{typeOf(schema)}</p>;
  const required = new Set(schema.required ?? []);
  return (
    <ScrollTable label={label} className="data">
      <thead>
        <tr>
          <th scope="col">{t("api.docs.param.name")}</th>
          <th scope="col">{t("api.docs.param.type")}</th>
          <th scope="col">{t("api.docs.param.required")}</th>
          <th scope="col">{t("api.docs.param.description")}</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(schema.properties).map(([name, p]) => (
          <tr key={name}>
            <th scope="row">
              <code>{name}</code>
            </th>
            <td>
              <code>{typeOf(p)}</code>
            </td>
            <td>{required.has(name) ? t("api.docs.yes") : t("api.docs.no")}</td>
            <td>{p.description ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

/** The API reference: every operation with its parameters, body and answers, then every schema. */
export function ApiReference({ doc, base }: { doc: ApiDocument; base: string }) {
  const t = useT();
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <div className="page api-docs">
      <h1>{t("api.docs.title")}</h1>
      <p>{doc.info.description}</p>
      <p>{t("api.docs.auth")}</p>
      <p>
        <a href={`${base}/openapi.json`}>{t("api.docs.document")}</a>
      </p>
      <nav aria-labelledby="ops">
        <h2 id="ops">{t("api.docs.operations")}</h2>
        <ul>
          {operations.map(({ path, method, op }) => (
            <li key={op.operationId}>
              <a href={`#${op.operationId}`}>
                <code>
                  {method.toUpperCase()} {base}
                  {path}
                </code>
              </a>{" "}
              {op.summary}
            </li>
          ))}
        </ul>
      </nav>
      {operations.map(({ path, method, op }) => (
        <section key={op.operationId} id={op.operationId} aria-labelledby={`${op.operationId}-h`}>
          <h3 id={`${op.operationId}-h`}>
            <code>
              {method.toUpperCase()} {base}
              {path}
            </code>
          </h3>
          <p>
            <strong>{op.summary}</strong>
          </p>
          {op.description ? <p>{op.description}</p> : null}
          {op.parameters?.length ? (
            <>
              <h4>{t("api.docs.parameters")}</h4>
              <ScrollTable label={`${op.operationId} ${t("api.docs.parameters")}`} className="data">
                <thead>
                  <tr>
                    <th scope="col">{t("api.docs.param.name")}</th>
                    <th scope="col">{t("api.docs.param.in")}</th>
                    <th scope="col">{t("api.docs.param.type")}</th>
                    <th scope="col">{t("api.docs.param.required")}</th>
                    <th scope="col">{t("api.docs.param.description")}</th>
                  </tr>
                </thead>
                <tbody>
                  {op.parameters.map((p) => (
                    <tr key={`${p.in}-${p.name}`}>
                      <th scope="row">
                        <code>{p.name}</code>
                      </th>
                      <td>{p.in}</td>
                      <td>
                        <code>{typeOf(p.schema)}</code>
                      </td>
                      <td>{p.required ? t("api.docs.yes") : t("api.docs.no")}</td>
                      <td>{p.description ?? p.schema?.description ?? ""}</td>
                    </tr>
                  ))}
                </tbody>
              </ScrollTable>
            </>
          ) : null}
          {op.requestBody ? (
            <>
              <h4>{t("api.docs.body")}</h4>
              {Object.entries(op.requestBody.content).map(([type, c]) => (
                <p key={type}>
                  <code>{type}</code>: <code>{typeOf(c.schema)}</code>
                </p>
              ))}
            </>
          ) : null}
          <h4>{t("api.docs.responses")}</h4>
          <dl>
            {Object.entries(op.responses).map(([status, r]) => (
              <div key={status}>
                <dt>
                  <code>{status}</code>
                </dt>
                <dd>
                  {r.description}
                  {r.content
                    ? Object.entries(r.content).map(([type, c]) => (
                        <span key={type}>
                          {" "}
                          — <code>{type}</code> <code>{typeOf(c.schema)}</code>
                        </span>
                      ))
                    : null}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
      <h2 id="schemas">{t("api.docs.schemas")}</h2>
      {Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => (
        // Not a landmark each: a schema may share its name with an operation's section.
        <div key={name} id={`schema-${name}`} className="api-schema">
          <h3 id={`schema-${name}-h`}>{name}</h3>
          {schema.description ? <p>{schema.description}</p> : null}
          <Properties schema={schema} label={name} />
        </div>
      ))}
    </div>
  );
}
