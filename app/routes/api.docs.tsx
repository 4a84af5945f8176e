import { json, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ApiReference, type ApiDocument } from "~/features/api/ApiReference";
import { API_BASE, openApiDocument } from "~/features/api/openapi.server";
import { pageTitle } from "~/i18n/meta";

/**
 * `/api/docs`: the API reference, drawn on the server from the OpenAPI document (no script, no
 * CDN). Public like the document itself: it describes the API, not anyone's data.
 */

export const meta: MetaFunction = ({ matches }) => pageTitle(matches, "api.docs.pageTitle");

export function loader() {
  return json({ doc: openApiDocument() as unknown as ApiDocument, base: API_BASE });
}

export default function ApiDocs() {
  const { doc, base } = useLoaderData<typeof loader>();
  return <ApiReference doc={doc} base={base} />;
}
