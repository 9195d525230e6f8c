/**
 * Shared state and helpers of the XLSForm import: column and type tables, row normalisation,
 * the problem list, localized text and expression translation with problems reported.
 */
import { parseXls, type QuestionInfo, translate, translateLabelText, type TranslateContext, XlsExprError } from './expression';
import { buildText, localeOfLanguage, type SurveyText } from './languages';
import { decodePassthrough, passthroughProperty } from './passthrough';
import type { XlsProblem, XlsProblemCode, XlsRow, XlsSheetName } from './types';

export type Json = Record<string, unknown>;

/** The message of the validator that stands for a repeat_count expression. */
export const REPEAT_COUNT_MESSAGE = { default: 'The number of entries does not match', 'zh-cn': '条目数量与要求不符' } as const;

export const SURVEY_COLUMNS = new Set([
  'type', 'name', 'label', 'hint', 'required', 'required_message', 'relevant', 'constraint', 'constraint_message',
  'choice_filter', 'default', 'appearance', 'calculation', 'repeat_count', 'read_only',
]);
export const LOCALIZED_COLUMNS = new Set(['label', 'hint', 'constraint_message', 'required_message']);
const COLUMN_ALIASES: Record<string, string> = {
  'jr:constraintmsg': 'constraint_message', 'jr:requiredmsg': 'required_message', 'calculate': 'calculation',
  'readonly': 'read_only', 'list name': 'list_name', 'choice filter': 'choice_filter', 'repeat count': 'repeat_count',
};
export const SETTINGS_COLUMNS = new Set(['form_title', 'form_id', 'version', 'default_language']);

export const METADATA_TYPES = new Set([
  'start', 'end', 'today', 'deviceid', 'subscriberid', 'simserial', 'phonenumber', 'username', 'email', 'audit',
  'start-geopoint', 'uri:deviceid', 'uri:email', 'uri:username', 'uri:phonenumber', 'uri:subscriberid', 'uri:simserial',
]);
export const KNOWN_UNSUPPORTED_TYPES = new Set([
  'geopoint', 'geotrace', 'geoshape', 'image', 'audio', 'video', 'file', 'barcode', 'range', 'acknowledge', 'trigger',
  'hidden', 'rank', 'background-audio', 'xml-external', 'csv-external', 'select_one_external', 'select_multiple_external',
  'select_one_from_file', 'select_multiple_from_file', 'background-geopoint',
]);
export const TRUE_WORDS = new Set(['yes', 'true', '1', 'true()', '是']);
export const FALSE_WORDS = new Set(['', 'no', 'false', '0', 'false()', '否']);

export interface ParsedType {
  base: string;
  list?: string;
  orOther?: boolean;
}

export function parseType(raw: string): ParsedType {
  const t = raw.trim().replace(/\s+/g, ' ');
  const lower = t.toLowerCase();
  for (const g of ['begin group', 'end group', 'begin repeat', 'end repeat']) {
    if (lower === g || lower === g.replace(' ', '_')) return { base: g.replace(' ', '_') };
  }
  const sel = /^(select_one|select_multiple|select one|select multiple)\s+(\S+)(\s+or_other)?$/i.exec(t);
  if (sel) {
    const base = (sel[1] as string).toLowerCase().replace(' ', '_');
    return { base, list: sel[2] as string, orOther: !!sel[3] };
  }
  const first = lower.split(' ')[0] ?? '';
  return { base: first === 'int' ? 'integer' : first };
}

/** Canonical column key: lower-cased, trimmed, aliases resolved, "::" language suffix kept. */
function canonicalColumn(key: string): string {
  const k = key.trim().toLowerCase();
  const [base, ...rest] = k.split('::');
  const b = COLUMN_ALIASES[(base ?? '').trim()] ?? (base ?? '').trim();
  return rest.length ? `${b}::${rest.join('::').trim()}` : b;
}

export function normalizeRow(row: XlsRow): XlsRow {
  const cells: Record<string, string> = {};
  for (const [k, v] of Object.entries(row.cells)) {
    const value = typeof v === 'string' ? v.trim() : String(v ?? '').trim();
    if (value === '') continue;
    cells[canonicalColumn(k)] = value;
  }
  return { rowNumber: row.rowNumber, cells };
}

export class Problems {
  readonly list: XlsProblem[] = [];
  add(sheet: XlsSheetName, row: number, code: XlsProblemCode, severity: 'error' | 'warning', zh: string, en: string, extra: { column?: string; question?: string } = {}): void {
    const p: XlsProblem = { sheet, row, code, severity, message: zh, messageEn: en };
    if (extra.column !== undefined) p.column = extra.column;
    if (extra.question !== undefined) p.question = extra.question;
    this.list.push(p);
  }
}

/** A group or repeat being filled (the root is the survey itself). */
export interface Container {
  kind: 'root' | 'group' | 'repeat';
  row: number;
  elements: Json[];
  repeats: string[];
}

/** Copy `surveyjs::<property>` cells onto a SurveyJS object. */
export function applyPassthrough(target: Json, cells: Record<string, string>): void {
  for (const [k, v] of Object.entries(cells)) {
    const prop = passthroughProperty(k);
    if (prop) target[prop] = decodePassthrough(v);
  }
}

/** A select_one exported from a SurveyJS boolean (marked `surveyjs::type`): back to a boolean. */
export function booleanFromChoices(el: Json): void {
  const items = Array.isArray(el['choices']) ? (el['choices'] as Json[]) : [];
  const yes = items.find((i) => i['value'] === 'true');
  const no = items.find((i) => i['value'] === 'false');
  if (yes?.['text'] !== undefined) el['labelTrue'] = yes['text'];
  if (no?.['text'] !== undefined) el['labelFalse'] = no['text'];
  delete el['choices'];
  delete el['showOtherItem'];
}

export class ImportContext {
  readonly problems = new Problems();
  /** Locales that some text used (decides the survey's display language). */
  readonly usedLocales = new Set<string>();
  private readonly reportedLang = new Set<string>();
  lists = new Map<string, XlsRow[]>();
  infos = new Map<string, QuestionInfo>();
  /** The element name each survey row gets (after filling in missing and renaming duplicate names). */
  readonly rowNames = new Map<number, string>();
  readonly lookup = (n: string): QuestionInfo | undefined => this.infos.get(n);

  /** Localized text from `base` and `base::<language>` cells; `pipe` turns ${x} into {x}. */
  text(sheet: XlsSheetName, row: XlsRow, base: string, pipe?: TranslateContext): SurveyText | undefined {
    const problems = this.problems;
    const reportedLang = this.reportedLang;
    const byLocale: Record<string, string> = {};
    let plain = row.cells[base];
    for (const [k, v] of Object.entries(row.cells)) {
      if (!k.startsWith(`${base}::`)) continue;
      const lang = k.slice(base.length + 2);
      const loc = localeOfLanguage(lang);
      if (!loc) {
        if (!reportedLang.has(`${sheet}:${k}`)) {
          reportedLang.add(`${sheet}:${k}`);
          problems.add(sheet, 1, 'UNSUPPORTED_COLUMN', 'error', `无法识别 "${k}" 列的语言,该列已忽略`, `The language of column "${k}" is not recognised; the column was ignored`, { column: k });
        }
        continue;
      }
      byLocale[loc] = v;
    }
    if (pipe) {
      const fix = (s: string): string => {
        const r = translateLabelText(s, pipe);
        for (const u of r.unknown) {
          problems.add(sheet, row.rowNumber, 'EXPRESSION', 'error', `文字中引用的 \${${u}} 无法转换`, `The reference \${${u}} in the text cannot be translated`, { column: base, question: pipe.self });
        }
        return r.text;
      };
      if (plain !== undefined) plain = fix(plain);
      for (const l of Object.keys(byLocale)) byLocale[l] = fix(byLocale[l] as string);
    }
    if (plain !== undefined && byLocale['en'] !== undefined && !reportedLang.has(`${sheet}:plain:${base}`)) {
      reportedLang.add(`${sheet}:plain:${base}`);
      problems.add(sheet, 1, 'UNSUPPORTED_COLUMN', 'warning', `同时有 "${base}" 列和英文列:SurveyJS 的默认文字即英文,"${base}" 列已忽略`, `Both "${base}" and an English column: SurveyJS's default text is English, so "${base}" was ignored`, { column: base });
    }
    for (const l of Object.keys(byLocale)) this.usedLocales.add(l);
    return buildText(plain, byLocale);
  }

  /** Translate an expression cell; on failure report it (the part is left out) and return undefined. */
  expr(row: XlsRow, column: string, src: string, ctx: TranslateContext, question?: string): string | undefined {
    try {
      return translate(parseXls(src), ctx);
    } catch (e) {
      if (!(e instanceof XlsExprError)) throw e;
      this.problems.add('survey', row.rowNumber, 'EXPRESSION', 'error', `${column} 表达式无法转换,已省略:${e.zh}`, `The ${column} expression cannot be translated and was left out: ${e.en}`, { column, question });
      return undefined;
    }
  }
}


