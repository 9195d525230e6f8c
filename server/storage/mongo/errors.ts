/** Maps MongoDB duplicate-key errors (code 11000) to the port's UniqueViolation. */
import { UniqueViolation } from '../port';

type Field = UniqueViolation['field'];

interface KeyError {
  code?: unknown;
  keyPattern?: Record<string, unknown>;
  writeErrors?: unknown;
  errorResponse?: { keyPattern?: Record<string, unknown> };
}

function asKeyError(err: unknown): KeyError | null {
  return err !== null && typeof err === 'object' ? (err as KeyError) : null;
}

/** The key pattern of a duplicate-key error (single or first bulk write error), or null. */
export function duplicateKeyPattern(err: unknown): Record<string, unknown> | null {
  const e = asKeyError(err);
  if (!e) return null;
  if (e.code === 11000) return e.keyPattern ?? e.errorResponse?.keyPattern ?? {};
  const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : [];
  for (const we of writeErrors) {
    const w = asKeyError(we);
    const inner = asKeyError((w as { err?: unknown } | null)?.err) ?? w;
    if (inner?.code === 11000) return inner.keyPattern ?? {};
  }
  return null;
}

/**
 * Rethrows `err` as UniqueViolation when it is a duplicate key on one of `fields` (index key
 * field → port field); any other error is rethrown unchanged.
 */
export function rethrowUnique(err: unknown, fields: Record<string, Field>): never {
  const pattern = duplicateKeyPattern(err);
  if (pattern) {
    for (const key of Object.keys(pattern)) {
      const field = fields[key];
      if (field) throw new UniqueViolation(field);
    }
  }
  throw err;
}
