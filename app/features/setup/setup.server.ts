import type { Kysely } from "kysely";
import { administratorExists, insertSetupToken } from "../../../db/queries/setup";
import type { Database } from "../../../db/schema";
import { randomToken, sha256 } from "../../platform/auth.server";

/**
 * The first run without demo data: while no ILO administrator exists, a one-time link creates
 * the first one. `npm start` prints it, and `npm run admin:create` makes one from a shell. The
 * link's token is stored as its SHA-256, works once, and expires (docs/decisions/020-adoption.md).
 */

export const SETUP_LINK_HOURS = 24;

/** A new set-up link for `baseUrl`, or null when an administrator exists already. */
export async function issueSetupLink(
  db: Kysely<Database>,
  opts: { baseUrl: string; createdBy: string; email?: string | null; now?: Date },
): Promise<{ url: string; expiresAt: Date } | null> {
  const now = opts.now ?? new Date();
  const token = randomToken();
  const expiresAt = new Date(now.getTime() + SETUP_LINK_HOURS * 3600_000);
  const issued = await db.transaction().execute(async (trx) => {
    if (await administratorExists(trx)) return false;
    await insertSetupToken(trx, {
      id: sha256(token),
      email: opts.email ? opts.email.trim().toLowerCase() : null,
      createdBy: opts.createdBy,
      at: now,
      expiresAt,
    });
    return true;
  });
  if (!issued) return null;
  return { url: `${opts.baseUrl.replace(/\/$/, "")}/setup/${token}`, expiresAt };
}

/** The web address a shell can print for this configuration: the host the server listens on, or localhost. */
export function localBaseUrl(host: string, port: number): string {
  const h = host === "0.0.0.0" || host === "::" || host === "" ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${h}:${port}`;
}
