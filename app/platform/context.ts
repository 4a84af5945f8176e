import type { Client } from "@temporalio/client";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import type { Config } from "./config";

/** What the web server hands every loader and action (`context` in Remix). */
export interface AppContext {
  db: Kysely<Database>;
  temporal: Client;
  config: Config;
  /** A round trip to the database on a connection of its own, for /healthz (DbHandle.ping); absent: through the pool. */
  pingDatabase?: () => Promise<void>;
  /** The Temporal Web UI, when the project started a dev server itself. */
  temporalUiUrl: string | null;
  /** The client's address as Express sees it (behind a proxy: with TRUST_PROXY set). */
  clientIp: string;
  /** The Content-Security-Policy nonce of this response (set by the web server; absent in tests that call loaders directly). */
  cspNonce?: string;
  /** This request's id (X-Request-Id), shown on error pages so a user can quote it; absent in tests that call loaders directly. */
  requestId?: string;
}

declare module "@remix-run/server-runtime" {
  interface AppLoadContext extends AppContext {}
}
