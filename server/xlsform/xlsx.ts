/**
 * XLSForm .xlsx files ⇄ XlsWorkbook (the sheet-shaped input of common/xlsform). Uses exceljs, so it
 * stays on the server. Headers are lower-cased and trimmed as XLSForm tools do.
 */
import ExcelJS from 'exceljs';
import type { XlsRow, XlsWorkbook } from '../../common/xlsform/types';

/** A file that cannot be read as an XLSForm at all (as opposed to problems inside it). */
export class XlsxReadError extends Error {
  constructor(readonly zh: string, readonly en: string) {
    super(en);
    this.name = 'XlsxReadError';
  }
}

/** Sheets beyond this many rows are refused (a questionnaire has hundreds, not tens of thousands). */
export const MAX_ROWS_PER_SHEET = 20_000;
const MAX_COLUMNS = 200;

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) {
      const result = (value as { result?: ExcelJS.CellValue }).result;
      return result === undefined ? '' : cellText(result);
    }
    if ('text' in value && 'hyperlink' in value) {
      const text: unknown = value.text;
      return typeof text === 'string' ? text : cellText(text as ExcelJS.CellValue);
    }
    if ('error' in value) return '';
  }
  return String(value);
}

function readSheet(sheet: ExcelJS.Worksheet | undefined): XlsRow[] {
  if (!sheet) return [];
  if (sheet.actualRowCount > MAX_ROWS_PER_SHEET) {
    throw new XlsxReadError(`工作表 ${sheet.name} 行数过多(超过 ${MAX_ROWS_PER_SHEET} 行)`, `Sheet ${sheet.name} has too many rows (over ${MAX_ROWS_PER_SHEET})`);
  }
  const headers = new Map<number, string>();
  const headerRow = sheet.getRow(1);
  headerRow.eachCell({ includeEmpty: false }, (cell, col) => {
    if (col > MAX_COLUMNS) return;
    const h = cellText(cell.value).trim().toLowerCase();
    if (h) headers.set(col, h);
  });
  const rows: XlsRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells: Record<string, string> = {};
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      const h = headers.get(col);
      if (!h) return;
      const v = cellText(cell.value).trim();
      if (v !== '') cells[h] = v;
    });
    if (Object.keys(cells).length) rows.push({ rowNumber, cells });
  });
  return rows;
}

function findSheet(wb: ExcelJS.Workbook, name: string): ExcelJS.Worksheet | undefined {
  return wb.worksheets.find((s) => s.name.trim().toLowerCase() === name);
}

/** Read an XLSForm .xlsx. Throws XlsxReadError when it is not an .xlsx or has no "survey" sheet. */
export async function readXlsformWorkbook(buffer: Buffer): Promise<XlsWorkbook> {
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs' typings want its own Buffer flavour; a Node Buffer is what it reads at runtime.
    await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new XlsxReadError(`无法读取 Excel 文件(需要 .xlsx 格式):${detail}`, `Cannot read the Excel file (.xlsx expected): ${detail}`);
  }
  const survey = findSheet(wb, 'survey');
  if (!survey) throw new XlsxReadError('文件中没有名为 survey 的工作表', 'The file has no sheet named "survey"');
  return { survey: readSheet(survey), choices: readSheet(findSheet(wb, 'choices')), settings: readSheet(findSheet(wb, 'settings')) };
}

const COLUMN_ORDER = [
  'type', 'list_name', 'name', 'label', 'hint', 'required', 'required_message', 'relevant', 'constraint', 'constraint_message',
  'choice_filter', 'appearance', 'default', 'read_only', 'calculation', 'repeat_count', 'form_title', 'form_id', 'version', 'default_language',
];

function headerOf(rows: XlsRow[]): string[] {
  const seen: string[] = [];
  for (const r of rows) for (const k of Object.keys(r.cells)) if (!seen.includes(k)) seen.push(k);
  const rank = (k: string): number => {
    const i = COLUMN_ORDER.indexOf(k.split('::')[0] as string);
    return i < 0 ? COLUMN_ORDER.length : i;
  };
  return seen
    .map((k, i) => ({ k, i }))
    .sort((a, b) => rank(a.k) - rank(b.k) || (a.k.includes('::') ? 1 : 0) - (b.k.includes('::') ? 1 : 0) || a.i - b.i)
    .map((x) => x.k);
}

function writeSheet(wb: ExcelJS.Workbook, name: string, rows: XlsRow[], required: string[]): void {
  const sheet = wb.addWorksheet(name);
  const header = headerOf(rows);
  for (const r of required) if (!header.includes(r)) header.push(r);
  sheet.addRow(header);
  sheet.getRow(1).font = { bold: true };
  for (const r of rows) sheet.addRow(header.map((h) => r.cells[h] ?? null));
  (sheet.columns ?? []).forEach((col, i) => { col.width = Math.min(50, Math.max(10, (header[i] ?? '').length + 2)); });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
}

/** Write an XlsWorkbook as an XLSForm .xlsx (sheets survey, choices, settings). */
export async function writeXlsformWorkbook(workbook: XlsWorkbook): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'CunWen 村问';
  writeSheet(wb, 'survey', workbook.survey, ['type', 'name', 'label']);
  writeSheet(wb, 'choices', workbook.choices, ['list_name', 'name', 'label']);
  writeSheet(wb, 'settings', workbook.settings, []);
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
