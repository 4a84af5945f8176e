/** Errors that mean the database connection went away, as opposed to a bad query. */
const CONNECTION_LOST = new Set([
  "57P01",
  "57P02",
  "57P03",
  "08000",
  "08001",
  "08003",
  "08006",
  "53300",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
]);

/** Whether an error means the database went away (ended, restarting, unreachable), not a bad query. */
export function isConnectionLoss(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { code?: unknown; message?: unknown };
  if (typeof e.code === "string" && CONNECTION_LOST.has(e.code)) return true;
  return (
    typeof e.message === "string" &&
    /Connection terminated|connection is closed|Client has encountered a connection error/i.test(e.message)
  );
}
