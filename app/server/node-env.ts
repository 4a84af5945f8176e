/**
 * The NODE_ENV the web process renders with. React reads it once, when the server build first
 * loads it: unset, server rendering ran React's development build (slower, extra checks, dev-only
 * warnings). `npm start`, `npm run web` and `npm run worker` are production; a NODE_ENV already
 * set (`development`, or `test` under vitest) is kept. Imported first by start.ts, before anything
 * that could load React.
 */
export function nodeEnvFor(current: string | undefined): string {
  return current && current.trim() !== "" ? current : "production";
}

// Written through a plain record: the declared type of NODE_ENV lists three values only.
(process.env as Record<string, string | undefined>).NODE_ENV = nodeEnvFor(process.env.NODE_ENV);
