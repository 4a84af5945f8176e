/** Calendar arithmetic on ISO dates (`YYYY-MM-DD`), in UTC, without reading the clock. */

export const DAY_MS = 86_400_000;

export function isoDate(d: Date | number): string {
  return new Date(d).toISOString().slice(0, 10);
}

export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return isoDate(target);
}

export function addDays(iso: string, days: number): string {
  return isoDate(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS);
}

/** Milliseconds since the epoch for the start of an ISO date (UTC). */
export function dateMs(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}
