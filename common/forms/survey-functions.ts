/**
 * Custom survey-core expression functions used by CunWen templates. Import this module (for its
 * side effect) before constructing a `Model`, so expressions and `validateExpressions()` know them.
 *
 * - `idCardValid(value)`: true when `value` is a valid 18-character PRC resident ID number
 *   (17 digits + check digit 0-9/X, ISO 7064 MOD 11-2, embedded birth date a real date).
 *   Empty values are NOT valid; guard optional fields with `{x} empty or idCardValid({x})`.
 */
import { FunctionFactory } from 'survey-core';

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK_CHARS = '10X98765432';

/** The ISO 7064 MOD 11-2 check character for the first 17 digits of an ID number. */
export function idCardCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idCardCheckDigit: need exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK_CHARS[sum % 11] ?? '';
}

/** Full validation of an 18-character resident ID number (lower-case x accepted). */
export function isValidChineseIdNumber(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const id = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return false;
  return idCardCheckDigit(id.slice(0, 17)) === id[17];
}

function registerFunctions(): void {
  // survey-core passes the evaluated arguments as an array.
  FunctionFactory.Instance.register('idCardValid', (params: unknown[]) => isValidChineseIdNumber(params[0]));
}

registerFunctions();
