import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { handleApi } from "~/features/api/api.server";

/**
 * `/api/v1/…`: the JSON API (app/features/api). Bearer tokens only; no cookie is read, so there is
 * no CSRF to guard against. The OpenAPI document is `/api/v1/openapi.json`.
 */
export function loader({ request, context, params }: LoaderFunctionArgs) {
  return handleApi(request, context, params["*"] ?? "");
}

export function action({ request, context, params }: ActionFunctionArgs) {
  return handleApi(request, context, params["*"] ?? "");
}
