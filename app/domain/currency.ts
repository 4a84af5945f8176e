/**
 * Currencies: how many decimals an amount has. ISO 4217 gives each currency its minor units
 * (USD 2, VND 0); some currencies are used with fewer decimals than ISO lists (the rupiah has no
 * cents in daily use). Amounts are stored in hundredths whatever the currency (decision 006), so
 * one rule sums and converts them; the digits in use decide what a form accepts and a page shows
 * (docs/decisions/020-adoption.md). Pure: no I/O.
 */

export interface CurrencyDigits {
  /** ISO 4217 minor units. */
  minorUnits: number;
  /** Decimals typed and shown, at most the minor units and at most 2 (the stored scale). */
  digitsInUse: number;
}

/** Stored amounts are hundredths of the currency's unit. */
export const STORED_SCALE = 100;

/**
 * ISO 4217 minor units of the currencies a SCORE programme is likely to meet, with the digits in
 * daily use where they differ. A currency missing here is given its digits by the administrator
 * who adds the country.
 */
export const ISO_4217: Record<string, CurrencyDigits> = {
  USD: { minorUnits: 2, digitsInUse: 2 },
  EUR: { minorUnits: 2, digitsInUse: 2 },
  GBP: { minorUnits: 2, digitsInUse: 2 },
  CHF: { minorUnits: 2, digitsInUse: 2 },
  CNY: { minorUnits: 2, digitsInUse: 2 },
  COP: { minorUnits: 2, digitsInUse: 2 },
  GHS: { minorUnits: 2, digitsInUse: 2 },
  INR: { minorUnits: 2, digitsInUse: 2 },
  IDR: { minorUnits: 2, digitsInUse: 0 },
  ZAR: { minorUnits: 2, digitsInUse: 2 },
  VND: { minorUnits: 0, digitsInUse: 0 },
  PEN: { minorUnits: 2, digitsInUse: 2 },
  BOB: { minorUnits: 2, digitsInUse: 2 },
  JPY: { minorUnits: 0, digitsInUse: 0 },
  KRW: { minorUnits: 0, digitsInUse: 0 },
  CLP: { minorUnits: 0, digitsInUse: 0 },
  PYG: { minorUnits: 0, digitsInUse: 0 },
  UGX: { minorUnits: 0, digitsInUse: 0 },
  XOF: { minorUnits: 0, digitsInUse: 0 },
  XAF: { minorUnits: 0, digitsInUse: 0 },
  KES: { minorUnits: 2, digitsInUse: 2 },
  TZS: { minorUnits: 2, digitsInUse: 2 },
  NGN: { minorUnits: 2, digitsInUse: 2 },
  ETB: { minorUnits: 2, digitsInUse: 2 },
  MAD: { minorUnits: 2, digitsInUse: 2 },
  EGP: { minorUnits: 2, digitsInUse: 2 },
  TND: { minorUnits: 3, digitsInUse: 2 },
  JOD: { minorUnits: 3, digitsInUse: 2 },
  BHD: { minorUnits: 3, digitsInUse: 2 },
  KWD: { minorUnits: 3, digitsInUse: 2 },
  OMR: { minorUnits: 3, digitsInUse: 2 },
  MMK: { minorUnits: 2, digitsInUse: 2 },
  LAK: { minorUnits: 2, digitsInUse: 0 },
  KHR: { minorUnits: 2, digitsInUse: 2 },
  PHP: { minorUnits: 2, digitsInUse: 2 },
  THB: { minorUnits: 2, digitsInUse: 2 },
  BDT: { minorUnits: 2, digitsInUse: 2 },
  PKR: { minorUnits: 2, digitsInUse: 2 },
  LKR: { minorUnits: 2, digitsInUse: 2 },
  TRY: { minorUnits: 2, digitsInUse: 2 },
  BRL: { minorUnits: 2, digitsInUse: 2 },
  MXN: { minorUnits: 2, digitsInUse: 2 },
  ARS: { minorUnits: 2, digitsInUse: 2 },
};

/** The digits in use for a currency the table knows; 2 (the stored scale) for one it does not. */
export function digitsInUse(currency: string, known: Record<string, CurrencyDigits> = ISO_4217): number {
  return known[currency]?.digitsInUse ?? 2;
}

/**
 * "45000000" (VND, 0 digits) → 4500000000 hundredths; "2000.50" (2 digits) → 200050. A decimal
 * comma and thousands separators are read as report-form's parser reads them. Blank → null;
 * more decimals than the currency uses, or not an amount → NaN.
 */
export function parseAmount(text: string, digits: number): number | null {
  let s = text.replace(/[\s\u00a0_']/g, "");
  if (s === "") return null;
  if (/^\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) s = s.replaceAll(",", "");
  else if (/^\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replaceAll(".", "").replace(",", ".");
  else s = s.replace(/,(\d+)$/, ".$1");
  const m = /^(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return NaN;
  const frac = m[2] ?? "";
  if (frac.replace(/0+$/, "").length > digits) return NaN;
  const stored = Number(m[1]) * STORED_SCALE + Number(frac.slice(0, 2).padEnd(2, "0"));
  return Number.isSafeInteger(stored) ? stored : NaN;
}

/** Hundredths → the amount as typed back into a form, with the currency's digits: 4500000000 (VND) → "45000000". */
export function formatAmount(stored: number, digits: number): string {
  const sign = stored < 0 ? "-" : "";
  const abs = Math.abs(stored);
  const whole = Math.floor(abs / STORED_SCALE);
  if (digits === 0) return `${sign}${whole}`;
  const frac = String(abs % STORED_SCALE).padStart(2, "0");
  return `${sign}${whole}.${digits === 1 ? frac.slice(0, 1) : frac}`;
}
