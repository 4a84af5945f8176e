import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What the web server needs to learn about a request while Remix handles it: whether the
 * database went away under it (the answer is then 503, "try again", rather than 500), and the
 * request's id for the log. Kept on
 * globalThis so the web server and the Remix server build (a separate bundle) share one store.
 */
export interface RequestState {
  databaseLost: boolean;
  /** The id the web server gave this request (X-Request-Id), named in the log and on error pages. */
  requestId?: string;
  /** A GET or HEAD: nothing in it writes, so its loaders may share what they read (read-model.ts). */
  reads?: boolean;
  /** The read model's view of this request, per database (db/queries/read-model.ts). */
  readModels?: Map<object, Promise<unknown>>;
}

const KEY = Symbol.for("pathways.request-state");
const slot = globalThis as unknown as Record<symbol, AsyncLocalStorage<RequestState> | undefined>;
export const requestState: AsyncLocalStorage<RequestState> = (slot[KEY] ??= new AsyncLocalStorage<RequestState>());
