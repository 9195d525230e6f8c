/** Random secrets and their hashes. Only hashes are ever stored; comparisons are constant-time. */
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** 256 random bits, base64url (43 characters). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ba.length === bb.length && timingSafeEqual(ba, bb);
}

/** Enrolment codes: 10 characters from an alphabet without look-alikes (no I, O, 0, 1): 32^10 ≈ 10^15. */
export const ENROLMENT_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function newEnrolmentCode(): string {
  let s = '';
  for (let i = 0; i < 10; i++) s += ENROLMENT_ALPHABET[randomInt(ENROLMENT_ALPHABET.length)];
  return s;
}

/** A bearer token as sent: `Authorization: Bearer <43 base64url chars>`; anything else is not a token. */
export function parseBearer(header: string | undefined): string | null | 'malformed' {
  if (header === undefined || header === '') return null;
  const m = /^Bearer ([A-Za-z0-9_-]{43})$/.exec(header.trim());
  return m?.[1] ?? 'malformed';
}
