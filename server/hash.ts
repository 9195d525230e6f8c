import { createHash } from 'node:crypto';
import { canonicalJson } from '../common/canonical-json';

/** sha256 (hex) of the canonical JSON of a value: equal meaning ⇒ equal hash. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
