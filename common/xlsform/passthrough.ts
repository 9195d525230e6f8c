/**
 * SurveyJS properties that XLSForm has no column for (CunWen's `correctAnswer`, `scored`,
 * `maxLength`, `colCount`, …) travel in `surveyjs::<property>` columns so that designer → .xlsx →
 * designer loses nothing. XLSForm headers are case-insensitive, so camelCase is written as
 * snake_case (`correctAnswer` ⇄ `surveyjs::correct_answer`; a literal `_` is doubled).
 * Values are written raw when that is unambiguous (`attitude`, `18`, `true`), else as JSON.
 */
export const PASSTHROUGH_PREFIX = 'surveyjs::';

export function passthroughColumn(property: string): string {
  return PASSTHROUGH_PREFIX + property.replace(/_/g, '__').replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The property a (lower-cased) passthrough column holds, or undefined for other columns. */
export function passthroughProperty(column: string): string | undefined {
  if (!column.startsWith(PASSTHROUGH_PREFIX)) return undefined;
  const raw = column.slice(PASSTHROUGH_PREFIX.length);
  if (!/^[a-z0-9_]+$/.test(raw)) return undefined;
  return raw.replace(/__|_([a-z0-9])/g, (m, c: string | undefined) => (m === '__' ? '_' : (c ?? '').toUpperCase()));
}

function parsesAsJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

export function encodePassthrough(value: unknown): string {
  if (typeof value === 'string' && value.trim() === value && value !== '' && !parsesAsJson(value)) return value;
  return JSON.stringify(value);
}

export function decodePassthrough(cell: string): unknown {
  try {
    return JSON.parse(cell) as unknown;
  } catch {
    return cell;
  }
}
