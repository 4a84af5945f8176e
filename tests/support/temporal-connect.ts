/**
 * How long a test waits for its first gRPC connection to a Temporal server, as the app's own
 * start-up waits (app/server/start.ts). The client's 10 s default is too short at the start of a
 * full run on a 2-core machine, when many test files start their servers and builds at once.
 */
export const TEMPORAL_CONNECT_TIMEOUT = "30s";
