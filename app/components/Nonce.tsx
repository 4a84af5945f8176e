import { createContext, useContext } from "react";

/**
 * The per-request nonce that the Content-Security-Policy allows scripts by. Set on the server
 * (entry.server.tsx); in the browser it is undefined (the browser hides a nonce once it has used it,
 * and Remix's script tags do not warn about the difference when hydrating).
 */
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
