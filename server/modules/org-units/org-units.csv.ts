import { z } from 'zod';
import { OrgUnitCodeSchema, OrgUnitLevelSchema, type OrgUnitLevel } from '../../../common/api/org-units';
import type { LocalizedText } from '../../../common/localized';

export interface OrgUnitCsvRow {
  line: number;
  code: string;
  name: LocalizedText;
  parentCode: string | null;
  level: OrgUnitLevel | undefined;
}

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM (Excel writes one). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; }
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field); field = '';
      rows.push(row); row = [];
    } else field += ch;
  }
  if (field !== '' || row.length) { row.push(field); rows.push(row); }
  return rows.filter((r) => r.some((c) => c.trim() !== ''));
}

const HEADER_ALIASES: Record<string, string> = {
  code: 'code', 编码: 'code', 代码: 'code',
  name: 'name', 名称: 'name', name_zh: 'name',
  name_en: 'name_en', 英文名称: 'name_en',
  parent_code: 'parent_code', parent: 'parent_code', 上级编码: 'parent_code',
  level: 'level', 层级: 'level',
};
const LEVEL_ALIASES: Record<string, string> = { 县: 'county', 乡镇: 'township', 乡: 'township', 镇: 'township', 村: 'village', 村民小组: 'group', 组: 'group' };

export function parseOrgUnitCsv(text: string): { rows: OrgUnitCsvRow[]; problems: { line: number; message: string }[] } {
  const table = parseCsv(text);
  const problems: { line: number; message: string }[] = [];
  const header = (table[0] ?? []).map((h) => HEADER_ALIASES[h.trim().toLowerCase()] ?? h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col('code') < 0 || col('name') < 0 || col('parent_code') < 0) {
    return { rows: [], problems: [{ line: 1, message: 'header must have code, name, parent_code / 表头须包含 code, name, parent_code' }] };
  }
  const rows: OrgUnitCsvRow[] = [];
  const seen = new Set<string>();
  table.slice(1).forEach((cells, i) => {
    const line = i + 2;
    const get = (name: string) => (col(name) >= 0 ? (cells[col(name)] ?? '').trim() : '');
    const code = OrgUnitCodeSchema.safeParse(get('code'));
    const name = z.string().min(1).max(500).safeParse(get('name'));
    const parentRaw = get('parent_code');
    const parent = parentRaw === '' ? null : OrgUnitCodeSchema.safeParse(parentRaw);
    const levelRaw = get('level');
    const level = levelRaw === '' ? undefined : OrgUnitLevelSchema.safeParse(LEVEL_ALIASES[levelRaw] ?? levelRaw.toLowerCase());
    if (!code.success) problems.push({ line, message: `bad code "${get('code')}" / 编码无效` });
    if (!name.success) problems.push({ line, message: 'missing name / 缺少名称' });
    if (parent && !parent.success) problems.push({ line, message: `bad parent code "${parentRaw}" / 上级编码无效` });
    if (level && !level.success) problems.push({ line, message: `bad level "${levelRaw}" / 层级无效` });
    if (code.success && seen.has(code.data)) problems.push({ line, message: `code ${code.data} appears twice / 编码重复` });
    if (code.success && name.success && (!parent || parent.success) && (!level || level.success)) {
      seen.add(code.data);
      const en = get('name_en');
      rows.push({
        line, code: code.data, name: en ? { zh: name.data, en } : { zh: name.data },
        parentCode: parent ? parent.data ?? null : null, level: level?.data,
      });
    }
  });
  if (rows.length === 0 && problems.length === 0) problems.push({ line: 1, message: 'no rows / 没有数据行' });
  return { rows, problems };
}
