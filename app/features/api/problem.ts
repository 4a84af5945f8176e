/**
 * Errors of the API as RFC 9457 problem details (`application/problem+json`): a stable `type`
 * per kind of problem, the HTTP status, a short title and, for a refused body, the field errors.
 */

export const PROBLEM_TYPE_BASE = "https://pathways.example/problems/";

export interface ProblemInit {
  /** The last part of the type URI: `not-found`, `invalid-body`… */
  type: string;
  title: string;
  detail?: string;
  errors?: Record<string, string>;
  headers?: Record<string, string>;
}

export function problem(status: number, p: ProblemInit, instance?: string): Response {
  const body = {
    type: `${PROBLEM_TYPE_BASE}${p.type}`,
    title: p.title,
    status,
    ...(p.detail ? { detail: p.detail } : {}),
    ...(instance ? { instance } : {}),
    ...(p.errors ? { errors: p.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/problem+json", "Cache-Control": "no-store", ...p.headers },
  });
}

/** A problem the handlers throw; the router turns it into the response. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly init: ProblemInit,
  ) {
    super(init.title);
  }
}

export const notFound = (detail = "There is nothing at this address that this token may see.") =>
  new ApiProblem(404, { type: "not-found", title: "Not found", detail });
export const forbidden = (detail = "This token's user may not do this.") =>
  new ApiProblem(403, { type: "forbidden", title: "Forbidden", detail });
export const invalid = (errors: Record<string, string>, detail = "Some values were refused: see errors.") =>
  new ApiProblem(400, { type: "invalid-request", title: "Invalid request", detail, errors });
