import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { issueSetupLink, localBaseUrl, SETUP_LINK_HOURS } from "../app/features/setup/setup.server";
import { ConfigError, parseConfig } from "../app/platform/config";
import { PROJECT_ROOT } from "../app/server/temporal-binaries";
import { createDb, migrateToLatest } from "../db/create-db";
import { ensureReferenceData } from "../db/reference-data";

/**
 * `npm run admin:create -- --email someone@example.org [--url https://pathways.example.org]`:
 * prints a one-time link that creates the first ILO administrator, against the configured database
 * (DATABASE_URL, else the embedded one in DATA_DIR: stop `npm start` first, the embedded database
 * serves one process). Refuses once an administrator exists: they create the other accounts.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { email: { type: "string" }, url: { type: "string" } }, strict: true });
  const email = z
    .string()
    .trim()
    .email()
    .max(200)
    .safeParse(values.email ?? "");
  if (!email.success) {
    console.error("Give the first administrator's address: npm run admin:create -- --email someone@example.org");
    return 2;
  }
  const config = parseConfig(process.env);
  const where = config.DATABASE_URL ?? path.join(path.resolve(PROJECT_ROOT, config.DATA_DIR), "pglite");
  let handle;
  try {
    handle = await createDb(where, { preparedStatements: config.DATABASE_PREPARED_STATEMENTS });
  } catch (e) {
    console.error(
      config.DATABASE_URL
        ? `The database could not be opened: ${(e as Error).message}`
        : `The embedded database in ${where} could not be opened (is \`npm start\` running? Stop it first): ${(e as Error).message}`,
    );
    return 1;
  }
  try {
    await migrateToLatest(handle.db);
    await ensureReferenceData(handle.db);
    const link = await issueSetupLink(handle.db, {
      baseUrl: values.url ?? localBaseUrl(config.HOST, config.PORT),
      createdBy: "admin:create",
      email: email.data,
    });
    if (!link) {
      console.error("An administrator exists already: they create the other accounts in Administration → Users.");
      return 1;
    }
    console.log(`Open this one-time link to create the administrator ${email.data.toLowerCase()}`);
    console.log(`(it works once and expires in ${SETUP_LINK_HOURS} hours):\n\n  ${link.url}\n`);
    return 0;
  } finally {
    await handle.close();
  }
}

main()
  .then((code) => process.exit(code))
  .catch((e) => {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(e instanceof ConfigError ? 2 : 1);
  });
