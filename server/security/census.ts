/**
 * Which answers of a form version are personal data, and how they are protected: encrypted before
 * storage, decrypted for the server's own use, masked in API responses unless revealed.
 * Values sit at a question's name, or — inside a dynamic panel (the census member roster) — at
 * `panel[i].inner`. A regular panel does not nest values (SurveyJS keeps them flat).
 */
import { isValidChineseIdNumber } from '../../common/forms/survey-functions';
import { blindIndex, decryptValue, encryptValue, isEncrypted, type DataKeys } from './data-keys';

export type SensitiveKind = 'national_id' | 'phone' | 'name' | 'other';

export interface SensitivityMap {
  /** question name → kind, for values at the top level of the answers */
  top: Map<string, SensitiveKind>;
  /** dynamic panel name → (inner question name → kind) */
  panels: Map<string, Map<string, SensitiveKind>>;
}

type Element = Record<string, unknown>;
const elementsOf = (v: unknown): Element[] => (Array.isArray(v) ? v.filter((e): e is Element => typeof e === 'object' && e !== null) : []);

function kindOf(q: Element): SensitiveKind {
  const name = String(q.name ?? '').toLowerCase();
  const validators = JSON.stringify(q.validators ?? []);
  if (/idcardvalid\(/i.test(validators) || /(^|_)(national_id|id_card|idcard|id_number|sfz|sfzh)($|_)/.test(name)) return 'national_id';
  if (q.inputType === 'tel' || /(phone|mobile|tel)/.test(name)) return 'phone';
  if (/(^|_)name$/.test(name) || name === 'name') return 'name';
  return 'other';
}

/** Every `sensitive: true` question of a definition, by where its value sits. */
export function sensitiveFields(definition: Record<string, unknown>): SensitivityMap {
  const map: SensitivityMap = { top: new Map(), panels: new Map() };
  const walk = (els: Element[], into: Map<string, SensitiveKind>, inPanel: boolean) => {
    for (const q of els) {
      const name = typeof q.name === 'string' ? q.name : null;
      if (q.type === 'panel') { walk(elementsOf(q.elements), into, inPanel); continue; }
      if (!name) continue;
      if (q.type === 'paneldynamic' && q.sensitive !== true) {
        const inner = new Map<string, SensitiveKind>();
        walk(elementsOf(q.templateElements), inner, true);
        if (inner.size && !inPanel) map.panels.set(name, inner);
        else if (inner.size) into.set(name, 'other'); // a roster inside a roster: protect it whole
        continue;
      }
      if (q.sensitive === true) into.set(name, kindOf(q));
    }
  };
  const pages = elementsOf(definition.pages);
  walk(elementsOf(definition.elements), map.top, false);
  for (const p of pages) walk(elementsOf(p.elements), map.top, false);
  return map;
}

export function hasSensitiveFields(map: SensitivityMap): boolean {
  return map.top.size > 0 || map.panels.size > 0;
}

type Answers = Record<string, unknown>;

/** Apply `fn` to every value at a sensitive position that is present; returns a new answers object. */
function mapSensitive(map: SensitivityMap, answers: Answers, fn: (value: unknown, path: string, kind: SensitiveKind) => unknown): Answers {
  const out: Answers = { ...answers };
  for (const [name, kind] of map.top) {
    if (out[name] !== undefined && out[name] !== null) out[name] = fn(out[name], name, kind);
  }
  for (const [panel, inner] of map.panels) {
    const rows = out[panel];
    if (!Array.isArray(rows)) continue;
    out[panel] = rows.map((row: unknown) => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) return row;
      const r: Answers = { ...(row as Answers) };
      for (const [name, kind] of inner) {
        if (r[name] !== undefined && r[name] !== null) r[name] = fn(r[name], `${panel}[].${name}`, kind);
      }
      return r;
    });
  }
  return out;
}

/**
 * Encrypt the sensitive values (bound to the submission id and the question path) and compute the
 * blind index of every national ID. Values that are already encrypted are kept as they are.
 */
export function protectAnswers(keys: DataKeys, map: SensitivityMap, submissionId: string, answers: Answers): { answers: Answers; blindIndexes: string[] } {
  const indexes = new Set<string>();
  const protectedAnswers = mapSensitive(map, answers, (value, path, kind) => {
    if (isEncrypted(value)) return value;
    if (kind === 'national_id' && typeof value === 'string' && value.trim()) indexes.add(blindIndex(keys, value));
    return encryptValue(keys, value, `${submissionId}:${path}`);
  });
  return { answers: protectedAnswers, blindIndexes: [...indexes] };
}

/** The clear answers (server-side use only: validation of corrections, reveal). */
export function unprotectAnswers(keys: DataKeys, map: SensitivityMap, submissionId: string, answers: Answers): Answers {
  return mapSensitive(map, answers, (value, path) => (isEncrypted(value) ? decryptValue(keys, value, `${submissionId}:${path}`) : value));
}

/** `110***********1234`: first 3 and last 4 kept, the rest starred (same length). */
export function maskId(value: string): string {
  const v = value.trim();
  if (v.length < 8) return '*'.repeat(v.length);
  return `${v.slice(0, 3)}${'*'.repeat(v.length - 7)}${v.slice(-4)}`;
}

export function maskValue(value: unknown, kind: SensitiveKind): unknown {
  if (typeof value !== 'string') return '***';
  if (kind === 'national_id' || kind === 'phone') return maskId(value);
  if (kind === 'name') return value.length <= 1 ? '*' : `${[...value][0]}${'*'.repeat([...value].length - 1)}`;
  return '***';
}

/** What an API response shows: every sensitive value masked, without decrypting anything except what the mask keeps. */
export function maskAnswers(keys: DataKeys, map: SensitivityMap, submissionId: string, answers: Answers): Answers {
  return mapSensitive(map, answers, (value, path, kind) => {
    if (kind === 'other') return '***'; // nothing of it is shown: no need to decrypt
    const clear = isEncrypted(value) ? decryptValue(keys, value, `${submissionId}:${path}`) : value;
    return maskValue(clear, kind);
  });
}

const MOBILE = /(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)/;
const ID_CANDIDATE = /(?<!\d)\d{17}[\dXx](?![\dXx])/g;

/** Does a free-text value contain a valid national ID number or a mobile number (also inside a sentence)? */
function textIdentifies(text: string): boolean {
  const s = text.replace(/[\s-]/g, '');
  if (MOBILE.test(s)) return true;
  for (const m of s.matchAll(ID_CANDIDATE)) if (isValidChineseIdNumber(m[0])) return true;
  return false;
}

/**
 * Anonymous forms (knowledge, satisfaction) never carry a name, an ID or a phone number: the
 * checker refuses such questions; this refuses such values typed into a free-text answer.
 * Returns the question names whose values look identifying.
 */
export function identifyingAnswers(answers: Answers): string[] {
  const found: string[] = [];
  const looks = (v: unknown): boolean => {
    if (typeof v === 'string') return textIdentifies(v);
    if (Array.isArray(v)) return v.some(looks);
    if (typeof v === 'object' && v !== null) return Object.values(v).some(looks);
    return false;
  };
  for (const [k, v] of Object.entries(answers)) if (looks(v)) found.push(k);
  return found;
}
