/**
 * Client-made ids. A submission id is made once, when the respondent starts, and travels with the
 * answers through every retry, export and import: it is what the server de-duplicates by.
 *
 * `crypto.randomUUID()` exists only in secure contexts (https / localhost); a tablet on a
 * township LAN may load the app over plain http, so the fallback uses `getRandomValues`, which
 * works everywhere.
 */
export function newId(): string {
  const c = (globalThis as { crypto?: Partial<Crypto> }).crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  if (!c || typeof c.getRandomValues !== 'function') {
    throw new Error('No secure random source / 没有可用的安全随机数');
  }
  const bytes = c.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
