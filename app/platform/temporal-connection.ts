import type { Config } from "./config";

/** The settings a Temporal connection is made from (a subset of the configuration, plain data a thread can be given). */
export type TemporalSettings = Pick<Config, "TEMPORAL_TLS" | "TEMPORAL_TLS_CERT" | "TEMPORAL_TLS_KEY" | "TEMPORAL_API_KEY">;

/**
 * The options of a connection to Temporal at `address`: TLS when TEMPORAL_TLS or an API key asks
 * for it, with the client certificate when one is configured. The web and worker processes and
 * the health port's thread all connect with these.
 */
export function temporalConnectionOptions(config: TemporalSettings, address: string) {
  return {
    address,
    tls:
      config.TEMPORAL_TLS || config.TEMPORAL_API_KEY
        ? config.TEMPORAL_TLS_CERT
          ? { clientCertPair: { crt: Buffer.from(config.TEMPORAL_TLS_CERT), key: Buffer.from(config.TEMPORAL_TLS_KEY!) } }
          : true
        : undefined,
    apiKey: config.TEMPORAL_API_KEY,
  };
}
