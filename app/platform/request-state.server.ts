import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What the web server needs to learn about a request while Remix handles it: here, whether the
 * database went away under it (the answer is then 503, "try again", rather than 500). Kept on
 * globalThis so the web server and the Remix server build (a separate bundle) share one store.
 */
export interface RequestState {
  databaseLost: boolean;
}

const KEY = Symbol.for("pathways.request-state");
const slot = globalThis as unknown as Record<symbol, AsyncLocalStorage<RequestState> | undefined>;
export const requestState: AsyncLocalStorage<RequestState> = (slot[KEY] ??= new AsyncLocalStorage<RequestState>());
