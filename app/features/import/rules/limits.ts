/** How much one import may hold: shared by the upload form (in the browser) and the server's checks. */
export const MAX_ROWS = 50_000;
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
