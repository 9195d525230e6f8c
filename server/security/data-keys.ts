/**
 * Application-level encryption of census personal data (PIPL): AES-256-GCM with a key id stored
 * beside every ciphertext (rotation: add a key, make it current, keep the old ones to decrypt),
 * and a keyed HMAC-SHA256 "blind index" for finding a person without decrypting.
 *
 * Keys come from CUNWEN_DATA_KEY (base64 of 32 bytes) or a key file (CUNWEN_DATA_KEY_FILE, JSON);
 * with neither, a key file is generated under DATA_DIR on first start (with a warning: back it up —
 * without it the census data cannot be read).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';

export interface DataKeys {
  currentId: string;
  keys: Map<string, Buffer>;
  indexKey: Buffer;
}

/** A ciphertext as stored inside answers: `{ "$enc": "v1.<kid>.<iv>.<ciphertext>.<tag>" }` (base64url parts). */
export interface Encrypted { $enc: string }

export function isEncrypted(v: unknown): v is Encrypted {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { $enc?: unknown }).$enc === 'string' && Object.keys(v).length === 1;
}

const b64 = (s: string, what: string): Buffer => {
  const buf = Buffer.from(s.trim(), 'base64');
  if (buf.length !== 32) throw new Error(`${what} must be base64 of exactly 32 bytes / 密钥必须是 32 字节的 base64`);
  return buf;
};

/** A stable id for a key (not secret: derived one-way). */
export function keyId(key: Buffer): string {
  return createHash('sha256').update('cunwen-key-id\0').update(key).digest('hex').slice(0, 8);
}

function derivedIndexKey(key: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'cunwen blind index v1', 32));
}

export function keysFromSecrets(current: Buffer, previous: Buffer[] = [], indexKey?: Buffer): DataKeys {
  const keys = new Map<string, Buffer>();
  for (const k of [current, ...previous]) keys.set(keyId(k), k);
  return { currentId: keyId(current), keys, indexKey: indexKey ?? derivedIndexKey(current) };
}

/** Ephemeral keys for tests and throw-away stores. */
export function randomDataKeys(): DataKeys {
  return keysFromSecrets(randomBytes(32));
}

const KeyFileSchema = z.object({
  version: z.literal(1),
  current: z.string(),
  keys: z.record(z.string(), z.string()),
  indexKey: z.string(),
});

export interface KeyConfig {
  dataKey?: string | undefined;
  previousDataKeys?: string | undefined;
  indexKey?: string | undefined;
  dataKeyFile?: string | undefined;
  dataDir: string;
}

/** Loads (or, the first time, creates) the keys; `warn` is told when a key file was generated. */
export function loadDataKeys(cfg: KeyConfig, warn: (msg: string, file: string) => void): DataKeys {
  if (cfg.dataKey) {
    const previous = (cfg.previousDataKeys ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((s) => b64(s, 'CUNWEN_DATA_KEY_PREVIOUS'));
    return keysFromSecrets(b64(cfg.dataKey, 'CUNWEN_DATA_KEY'), previous, cfg.indexKey ? b64(cfg.indexKey, 'CUNWEN_INDEX_KEY') : undefined);
  }
  const file = cfg.dataKeyFile ?? path.join(cfg.dataDir, 'cunwen-data-key.json');
  if (!fs.existsSync(file)) {
    if (cfg.dataKeyFile) throw new Error(`CUNWEN_DATA_KEY_FILE ${file} does not exist / 密钥文件不存在`);
    const key = randomBytes(32);
    const content = { version: 1, current: keyId(key), keys: { [keyId(key)]: key.toString('base64') }, indexKey: randomBytes(32).toString('base64') };
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    warn('generated a new data key file: back it up and keep it apart from database backups / 已生成数据密钥文件,请单独备份', file);
  }
  const parsed = KeyFileSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
  const keys = new Map<string, Buffer>();
  for (const [id, k] of Object.entries(parsed.keys)) keys.set(id, b64(k, `key ${id} in ${file}`));
  if (!keys.has(parsed.current)) throw new Error(`key file ${file}: current key ${parsed.current} is not in keys`);
  return { currentId: parsed.current, keys, indexKey: b64(parsed.indexKey, `indexKey in ${file}`) };
}

/** Encrypt any JSON value; the additional data binds the ciphertext to where it belongs (e.g. submission id + path). */
export function encryptValue(keys: DataKeys, value: unknown, aad: string): Encrypted {
  const key = keys.keys.get(keys.currentId);
  if (!key) throw new Error('current data key missing');
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key, iv);
  c.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([c.update(JSON.stringify(value), 'utf8'), c.final()]);
  return { $enc: ['v1', keys.currentId, iv.toString('base64url'), ct.toString('base64url'), c.getAuthTag().toString('base64url')].join('.') };
}

export class MissingKeyError extends Error {
  constructor(readonly kid: string) { super(`data key ${kid} is not configured`); this.name = 'MissingKeyError'; }
}

export function decryptValue(keys: DataKeys, enc: Encrypted, aad: string): unknown {
  const [v, kid, iv, ct, tag] = enc.$enc.split('.');
  if (v !== 'v1' || !kid || iv === undefined || ct === undefined || tag === undefined) throw new Error('not a v1 ciphertext');
  const key = keys.keys.get(kid);
  if (!key) throw new MissingKeyError(kid);
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  d.setAAD(Buffer.from(aad, 'utf8'));
  d.setAuthTag(Buffer.from(tag, 'base64url'));
  return JSON.parse(Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8')) as unknown;
}

/** National IDs are compared upper-cased and trimmed (the check digit may be x or X). */
export function normaliseNationalId(id: string): string {
  return id.trim().toUpperCase();
}

export function blindIndex(keys: DataKeys, nationalId: string): string {
  return createHmac('sha256', keys.indexKey).update(`national_id\0${normaliseNationalId(nationalId)}`).digest('hex');
}
