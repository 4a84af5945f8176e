import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { OPERATIONS } from "./operations.server";
import { ProblemSchema } from "./schemas";

/**
 * The OpenAPI 3.1 document, generated from the operations' zod schemas (the same ones the
 * handlers parse with). Made once per process.
 */

export const API_BASE = "/api/v1";

/** Statuses any operation may answer with a problem (RFC 9457). */
const COMMON_PROBLEMS: Record<number, string> = {
  400: "The query or body was refused (see `errors`)",
  401: "No token, or one that is unknown, expired or revoked",
  403: "The token's user may see this but not do it",
  404: "Nothing at this address that the token may see",
  406: "The client accepts no JSON",
  429: "Too many requests for this token: wait for Retry-After seconds",
  503: "The database or the workflow service is not answering: try again after Retry-After",
};
const WRITE_PROBLEMS: Record<number, string> = {
  409: "The report is in a state that refuses this",
  413: "The body is larger than the API accepts",
  415: "The body is not JSON",
  422: "The pathway refused the change",
};

let cached: ReturnType<OpenApiGeneratorV31["generateDocument"]> | null = null;

export function openApiDocument() {
  if (cached) return cached;
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "token", {
    type: "http",
    scheme: "bearer",
    description: "A personal access token, made on your account page (/account/tokens).",
  });
  const problemContent = { "application/problem+json": { schema: ProblemSchema } };
  for (const op of OPERATIONS) {
    const responses: Record<string, { description: string; content?: Record<string, { schema: typeof ProblemSchema }> }> = {};
    for (const [status, r] of Object.entries(op.responses))
      responses[status] = {
        description: r.description,
        content: { "application/json": { schema: r.schema as typeof ProblemSchema } },
      };
    for (const [status, description] of Object.entries({ ...COMMON_PROBLEMS, ...(op.writes ? WRITE_PROBLEMS : {}) }))
      responses[status] = { description, content: problemContent };
    registry.registerPath({
      operationId: op.id,
      method: op.method,
      path: op.path,
      tags: [op.tag],
      summary: op.summary,
      description: op.description,
      security: [{ token: [] }],
      request: {
        params: op.params,
        query: op.query,
        body: op.body ? { required: true, content: { "application/json": { schema: op.body } } } : undefined,
      },
      responses,
    });
  }
  cached = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Pathways API",
      version: "1.0.0",
      description:
        "JSON over the same services the pages use: institutions with their stage and gate, milestone reports (submit, read, decide), trainers, training cycles, the logframe, handover plans. Every request carries a personal access token (Authorization: Bearer …), which acts with its user's role and sees what its user sees. Errors are RFC 9457 problem details.",
    },
    servers: [{ url: API_BASE }],
  });
  return cached;
}
