/** One spreadsheet row: its 1-based row number in the sheet and its cells by lower-cased, trimmed header. */
export interface XlsRow {
  rowNumber: number;
  cells: Record<string, string>;
}
/** Kept for the brief's spelling (`Row`). */
export type Row = XlsRow;

/** The three sheets of an XLSForm that CunWen reads and writes. */
export interface XlsWorkbook {
  survey: XlsRow[];
  choices: XlsRow[];
  settings: XlsRow[];
}

export type XlsSheetName = 'survey' | 'choices' | 'settings';

/**
 * Something in the workbook (or, on export, in the SurveyJS definition) that could not be carried
 * over exactly. `error`: a part was left out; `warning`: it was carried over approximately.
 */
export interface XlsProblem {
  sheet: XlsSheetName;
  /** Row number in the sheet (1 = header row); 0 when the problem is not tied to a row. */
  row: number;
  column?: string;
  /** Question name, where there is one. */
  question?: string;
  code: XlsProblemCode;
  severity: 'error' | 'warning';
  /** zh-CN message. */
  message: string;
  /** English message. */
  messageEn: string;
}

export type XlsProblemCode =
  | 'UNKNOWN_TYPE'
  | 'UNSUPPORTED_TYPE'
  | 'UNSUPPORTED_COLUMN'
  | 'UNSUPPORTED_APPEARANCE'
  | 'EXPRESSION'
  | 'MISSING_NAME'
  | 'DUPLICATE_NAME'
  | 'BAD_NAME'
  | 'MISSING_LIST'
  | 'UNBALANCED_GROUP'
  | 'APPROXIMATED'
  | 'KEPT_AS_SURVEYJS'
  | 'UNSUPPORTED_ELEMENT';

export interface XlsFormSettings {
  formTitle?: string;
  formId?: string;
  version?: string;
  defaultLanguage?: string;
}
