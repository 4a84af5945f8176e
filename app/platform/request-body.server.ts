import { json, MaxPartSizeExceededError, type TypedResponse } from "@remix-run/node";
import { z } from "zod";
import { MultipartLimitError } from "./multipart.server";

/**
 * The edge of every action and loader: what a request may carry before any route looks at it.
 * A form arrives as a form (else 415), whole (else 400), with text a person could have typed
 * (no NUL or other control characters but tab and line breaks) and of a bounded length; query
 * strings carry no NUL, numbers within range, and ids that are ids (else 404). Refusals are
 * Responses thrown before anything is written. A refused field (control characters, too long)
 * is a 422 that carries the field's error and the other values typed: an action wrapped in
 * `withFieldRefusals` returns it to its form, which shows the error next to the field; any other
 * action's error boundary shows the message.
 */

export const FORM_CONTENT_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"] as const;

/** The longest text any one form field may hold unless the route says otherwise (a template's definition, say). */
export const MAX_FIELD_LENGTH = 20_000;
/** How many fields one form may have. */
export const MAX_FIELDS = 2_000;

// Control characters a person cannot type into a form, but tab, line feed and carriage return.
// eslint-disable-next-line no-control-regex -- these are exactly what is refused
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export interface ReadFormOptions {
  /** Longer limits for named fields (e.g. `{ definition: 500_000 }`). */
  maxLength?: Record<string, number>;
}

/** True for a Content-Type that announces a form. */
export function isFormContentType(header: string | null): boolean {
  const type = (header ?? "").split(";")[0].trim().toLowerCase();
  return (FORM_CONTENT_TYPES as readonly string[]).includes(type);
}

/** What a refused field answers: the form's shape (`FormState`) plus a message for error boundaries. */
export interface FieldRefusalData {
  message: string;
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** Marks a 422 that names a field, so `withFieldRefusals` can tell it from other thrown Responses. */
const FIELD_REFUSAL = "X-Pathways-Field-Refusal";

/** A refusal of the form as a whole: `{ message, errors: {} }` for the route's boundary. */
function refuse(status: number, message: string): Response {
  return json({ message, errors: {} }, { status });
}

/** A refusal of one field, with the other text fields as typed (bounded) so the form can be shown again. */
function refuseField(form: FormData, field: string, message: string): Response {
  const values: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (name === field || typeof value !== "string" || name in values) continue;
    if (textProblem(name, 200) || textProblem(value)) continue;
    values[name] = value;
  }
  const body: FieldRefusalData = { message, values, errors: { [field]: message } };
  return json(body, { status: 422, headers: { [FIELD_REFUSAL]: "1" } });
}

/** The text problem of one value, or null: control characters, or longer than `max`. */
export function textProblem(value: string, max = MAX_FIELD_LENGTH): string | null {
  if (CONTROL.test(value)) return "This text contains characters that cannot be stored (control characters)";
  if (value.length > max) return `Keep this under ${max} characters`;
  return null;
}

/**
 * An action whose form shows a refused field next to the field: the 422 that `readForm` throws
 * for it becomes the action's data (`{ message, values, errors }`, the shape forms read), still
 * with status 422 and nothing written. Other thrown Responses and errors pass through unchanged.
 */
export async function withFieldRefusals<R>(run: () => Promise<R>): Promise<R | TypedResponse<FieldRefusalData>> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof Response && e.status === 422 && e.headers.get(FIELD_REFUSAL)) {
      const headers = new Headers(e.headers);
      headers.delete(FIELD_REFUSAL);
      return json((await e.json()) as FieldRefusalData, { status: 422, headers });
    }
    throw e;
  }
}

/** Checks every entry of a parsed form; throws 422 naming the first field that is refused. */
export function assertFormText(form: FormData, opts: ReadFormOptions = {}): void {
  let n = 0;
  for (const [name, value] of form.entries()) {
    if (++n > MAX_FIELDS) throw refuse(413, "This form has too many fields.");
    const nameProblem = textProblem(name, 200);
    if (nameProblem) throw refuse(400, "This form has a field that cannot be read.");
    const problem =
      typeof value === "string"
        ? textProblem(value, opts.maxLength?.[name] ?? MAX_FIELD_LENGTH)
        : textProblem(value.name, 255) && "This file's name contains characters that cannot be stored";
    if (problem) throw refuseField(form, name, problem);
  }
}

/**
 * The form of a state-changing request, checked: 415 for a body that is not a form, 400 for one
 * that cannot be read (truncated, garbled), 422 for a field with control characters or longer
 * than its limit. Every action reads its form through this (or `readMultipart` below).
 */
export async function readForm(request: Request, opts: ReadFormOptions = {}): Promise<FormData> {
  if (!isFormContentType(request.headers.get("Content-Type")))
    throw refuse(415, "This address accepts a form (application/x-www-form-urlencoded or multipart/form-data).");
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw refuse(400, "The form could not be read. Reload the page and try again.");
  }
  assertFormText(form, opts);
  return form;
}

/**
 * A multipart form read by the route's own parser (upload limits are the parser's): a body the
 * parser cannot read — garbled, truncated, a file name with `;` or `=` it chokes on — is a 400,
 * not a crash. Errors the parser uses for its limits (a Response, or a `MaxPartSizeExceededError`)
 * pass through unchanged.
 */
export async function readMultipart(
  request: Request,
  parse: () => Promise<FormData>,
  opts: ReadFormOptions = {},
): Promise<FormData> {
  if (!isFormContentType(request.headers.get("Content-Type")))
    throw refuse(415, "This address accepts a form (application/x-www-form-urlencoded or multipart/form-data).");
  let form: FormData;
  try {
    form = await parse();
  } catch (e) {
    // Size and count limits are the caller's to answer (413 with a message next to the file field).
    if (e instanceof Response || e instanceof MultipartLimitError || e instanceof MaxPartSizeExceededError) throw e;
    throw refuse(400, "The form could not be read. Reload the page and try again.");
  }
  assertFormText(form, opts);
  return form;
}

/** The query string of a request, checked: no control characters in names or values (400). */
export function searchParams(request: Request): URLSearchParams {
  const params = new URL(request.url).searchParams;
  for (const [name, value] of params) {
    if (CONTROL.test(name) || CONTROL.test(value) || value.length > MAX_FIELD_LENGTH)
      throw new Response("This address has characters that cannot be read.", { status: 400 });
  }
  return params;
}

/**
 * A whole number from the query string within [min, max], or undefined when absent or blank;
 * 400 for anything else (`1e309`, `-1`, `abc`).
 */
export function queryInt(params: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw.trim() === "") return undefined;
  const n = Number(raw);
  if (!/^-?\d{1,16}$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new Response(`The ${name} in this address is not a number this page can use.`, { status: 400 });
  return n;
}

const Uuid = z.uuid();

/** True when the text is a UUID (every id in the database is one). */
export function isUuid(value: unknown): value is string {
  return Uuid.safeParse(value).success;
}

/** A UUID from the path or query string; 404 for anything else, before any query uses it. */
export function uuidOr404(value: string | null | undefined, message = "Not found"): string {
  if (!isUuid(value)) throw new Response(message, { status: 404 });
  return value;
}
