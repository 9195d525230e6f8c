import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { hashPin, sha256Hex, PIN_PATTERN } from '../../../client/src/features/kiosk/pin';

test('sha256Hex agrees with node:crypto on any text (incl. multi-block and non-ASCII)', () => {
  for (const s of ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), '村问 PIN 2468']) {
    expect(sha256Hex(s)).toBe(createHash('sha256').update(s, 'utf8').digest('hex'));
  }
  fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => sha256Hex(s) === createHash('sha256').update(s, 'utf8').digest('hex')));
});

test('a PIN hash depends on the salt and verifies only the same PIN', () => {
  const a = hashPin('2468', 'salt-1');
  expect(hashPin('2468', 'salt-1')).toEqual(a);
  expect(hashPin('2469', 'salt-1').hash).not.toBe(a.hash);
  expect(hashPin('2468', 'salt-2').hash).not.toBe(a.hash);
  expect(a.hash).not.toContain('2468');
});

test('PIN pattern: 4–8 digits', () => {
  expect(['1234', '12345678'].every((p) => PIN_PATTERN.test(p))).toBe(true);
  expect(['123', '123456789', '12a4', ''].some((p) => PIN_PATTERN.test(p))).toBe(false);
});
