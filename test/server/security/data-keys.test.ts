import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  blindIndex, decryptValue, encryptValue, keyId, keysFromSecrets, loadDataKeys, MissingKeyError,
} from '../../../server/security/data-keys';
import { maskAnswers, protectAnswers, sensitiveFields, unprotectAnswers, maskId } from '../../../server/security/census';
import { loadTemplate } from '../../../form-definitions';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-keys-'));

describe('data keys', () => {
  it('generates a key file (0600) under DATA_DIR on first start with a warning, and reuses it afterwards', () => {
    const dir = tmp();
    const warnings: string[] = [];
    const k1 = loadDataKeys({ dataDir: dir }, (msg, file) => warnings.push(`${msg} ${file}`));
    const file = path.join(dir, 'cunwen-data-key.json');
    expect(fs.existsSync(file)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(warnings).toHaveLength(1);
    const k2 = loadDataKeys({ dataDir: dir }, () => warnings.push('again'));
    expect(warnings).toHaveLength(1);
    expect(k2.currentId).toBe(k1.currentId);
    const enc = encryptValue(k1, '张三', 'aad');
    expect(decryptValue(k2, enc, 'aad')).toBe('张三');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a configured key file that does not exist and a key of the wrong size', () => {
    const dir = tmp();
    expect(() => loadDataKeys({ dataDir: dir, dataKeyFile: path.join(dir, 'missing.json') }, () => {})).toThrow(/does not exist/);
    expect(() => loadDataKeys({ dataDir: dir, dataKey: randomBytes(16).toString('base64') }, () => {})).toThrow(/32 bytes/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rotates: ciphertexts carry the key id; the previous key still decrypts; the blind index is stable when CUNWEN_INDEX_KEY is set', () => {
    const oldKey = randomBytes(32).toString('base64');
    const newKey = randomBytes(32).toString('base64');
    const indexKey = randomBytes(32).toString('base64');
    const before = loadDataKeys({ dataDir: '.', dataKey: oldKey, indexKey }, () => {});
    const old = encryptValue(before, { n: 1 }, 'x');
    expect(old.$enc.split('.')[1]).toBe(keyId(Buffer.from(oldKey, 'base64')));
    const after = loadDataKeys({ dataDir: '.', dataKey: newKey, previousDataKeys: oldKey, indexKey }, () => {});
    expect(decryptValue(after, old, 'x')).toEqual({ n: 1 });
    expect(encryptValue(after, 1, 'x').$enc.split('.')[1]).toBe(after.currentId);
    expect(blindIndex(after, '110105194912310021')).toBe(blindIndex(before, '110105194912310021'));
    const forgotten = loadDataKeys({ dataDir: '.', dataKey: newKey }, () => {});
    expect(() => decryptValue(forgotten, old, 'x')).toThrow(MissingKeyError);
  });

  it('detects tampering and ciphertexts moved to another record (authenticated additional data)', () => {
    const keys = keysFromSecrets(randomBytes(32));
    const enc = encryptValue(keys, '110105194912310021', 'sub-1:members[].national_id');
    expect(() => decryptValue(keys, enc, 'sub-2:members[].national_id')).toThrow();
    const parts = enc.$enc.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[3] = ct.toString('base64url');
    expect(() => decryptValue(keys, { $enc: parts.join('.') }, 'sub-1:members[].national_id')).toThrow();
  });

  it('blind index normalises case and surrounding space and depends on the key', () => {
    const a = keysFromSecrets(randomBytes(32));
    const b = keysFromSecrets(randomBytes(32));
    expect(blindIndex(a, ' 11010519491231002x ')).toBe(blindIndex(a, '11010519491231002X'));
    expect(blindIndex(a, '11010519491231002X')).not.toBe(blindIndex(b, '11010519491231002X'));
  });
});

describe('census field protection', () => {
  const tpl = loadTemplate('household-census')!;
  const map = sensitiveFields(tpl.definition);

  it('finds the sensitive questions of the census template, inside the member roster too', () => {
    expect([...map.top.entries()].sort()).toEqual([['head_name', 'name'], ['phone', 'phone']]);
    expect([...map.panels.get('members')!.entries()].sort()).toEqual([
      ['contraception', 'other'], ['currently_pregnant', 'other'], ['living_children', 'other'], ['name', 'name'], ['national_id', 'national_id'],
    ]);
  });

  it('round-trips answers through protect/unprotect and masks without revealing', () => {
    const keys = keysFromSecrets(randomBytes(32));
    const answers = { head_name: '王芳', phone: '13912345678', address: '一组', members: [{ name: '王芳', national_id: '110105194912310021', currently_pregnant: false, sex: 'female' }] };
    const p = protectAnswers(keys, map, 'sub-1', answers);
    expect(JSON.stringify(p.answers)).not.toMatch(/王芳|13912345678|110105194912310021/);
    expect(p.answers.address).toBe('一组');
    expect(p.blindIndexes).toHaveLength(1);
    expect(unprotectAnswers(keys, map, 'sub-1', p.answers)).toEqual(answers);
    expect(maskAnswers(keys, map, 'sub-1', p.answers)).toEqual({
      head_name: '王*', phone: '139****5678', address: '一组', members: [{ name: '王*', national_id: '110***********0021', currently_pregnant: '***', sex: 'female' }],
    });
    expect(maskId('110105194912310021')).toBe('110***********0021');
    // protecting twice leaves ciphertexts as they are
    expect(protectAnswers(keys, map, 'sub-1', p.answers).answers).toEqual(p.answers);
  });
});
