/**
 * Streamed exports (CSV and XLSX): submissions with question titles as headers and choice labels,
 * the indicator table, and census data in three layouts (households, members, joined).
 *
 * Constant memory: submissions are read page by page (keyset cursor) and each row is written as
 * soon as it is built; when the socket's buffer is full we wait for 'drain' (backpressure), and
 * between pages we yield to the event loop so other requests are served meanwhile.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import type { Form, OrgUnit, Storage, Submission, SubmissionFilter } from '../../storage/port';
import { AppError } from '../../http/errors';
import { answerText, questionLabels, type QuestionLabel } from '../../reports/form-labels';
import { mustPeriod, type ReportService } from './reports.service';
import { formatRate } from '../../../common/stats';

export type ExportFormat = 'csv' | 'xlsx';
export type CensusLayout = 'households' | 'members' | 'joined';

/** A table written row by row. */
export interface TableSink {
  row(values: (string | number | null)[]): Promise<void>;
  end(): Promise<void>;
}

const CSV_NEEDS_QUOTES = /[",\r\n]/;
function csvCell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  // a cell starting with = + - @ is a formula to a spreadsheet: neutralise (CSV injection)
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return CSV_NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

async function writeWithBackpressure(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** CSV in UTF-8 with a BOM (so Excel on Chinese Windows opens it as UTF-8), CRLF line ends. */
export function csvSink(out: Writable): TableSink {
  let first = true;
  let buffer = '';
  return {
    async row(values) {
      buffer += `${first ? '\ufeff' : ''}${values.map(csvCell).join(',')}\r\n`;
      first = false;
      if (buffer.length > 64 * 1024) { const b = buffer; buffer = ''; await writeWithBackpressure(out, b); }
    },
    async end() {
      if (buffer) await writeWithBackpressure(out, buffer);
      out.end();
    },
  };
}

/** XLSX through exceljs' streaming WorkbookWriter: each row is committed (flushed) as it is added. */
export function xlsxSink(out: Writable, sheetName: string): TableSink {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const ws = wb.addWorksheet(sheetName.slice(0, 31));
  let n = 0;
  return {
    async row(values) {
      ws.addRow(values).commit();
      if (++n % 500 === 0 && out.writableNeedDrain) await once(out, 'drain');
    },
    async end() {
      ws.commit();
      await wb.commit();
    },
  };
}

export function sinkFor(format: ExportFormat, out: Writable, sheetName: string): TableSink {
  return format === 'csv' ? csvSink(out) : xlsxSink(out, sheetName);
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

const REVIEW_LABELS: Record<string, string> = { received: '待审核', has_issues: '有问题', approved: '已通过', rejected: '未通过' };

export interface ExportDeps {
  storage: Storage;
  reports: ReportService;
  /** Masks personal data of census answers (national ID → 110***********1234, names → ***); never clear text in an export. */
  mask?: (form: Form, formVersion: number, submissionId: string, answers: Record<string, unknown>) => Promise<Record<string, unknown>>;
  pageSize?: number;
}

export function makeExports(deps: ExportDeps) {
  const { storage } = deps;
  const pageSize = deps.pageSize ?? 250;

  async function* pages(filter: SubmissionFilter) {
    let cursor: string | null = null;
    for (;;) {
      const page: { items: Submission[]; next: string | null } = await storage.reports.scan(filter, cursor, pageSize);
      yield page.items;
      if (!page.next) return;
      cursor = page.next;
      await yieldToEventLoop();
    }
  }

  async function filterFor(formId: string, orgUnitId: string | undefined, periodId: string | undefined, scopePath: string) {
    const form = (await storage.forms.get(formId)) ?? (await storage.forms.getBySlug(formId));
    if (!form) throw new AppError('FORM_NOT_FOUND', { id: formId });
    const filter: SubmissionFilter = { formId: form.id, orgUnitPath: scopePath };
    let unit: OrgUnit | null = null;
    if (orgUnitId) {
      unit = await deps.reports.unitOrThrow(orgUnitId);
      filter.orgUnitPath = unit.path;
    }
    if (periodId) {
      const p = mustPeriod(periodId);
      filter.completedFrom = p.start;
      filter.completedTo = p.end;
    }
    const v = form.latestVersion !== null ? await storage.forms.getVersion(form.id, form.latestVersion) : null;
    const labels = questionLabels((v?.definition ?? form.draft ?? {}) as Record<string, unknown>);
    return { form, filter, labels, unit };
  }

  const names = new Map<string, Promise<OrgUnit | null>>();
  const unitOf = (id: string) => {
    if (!names.has(id)) names.set(id, storage.orgUnits.get(id));
    if (names.size > 10_000) names.clear();
    return names.get(id)!;
  };

  async function answersOf(form: Form, s: { id: string; formVersion: number; answers: Record<string, unknown> }) {
    return deps.mask ? deps.mask(form, s.formVersion, s.id, s.answers) : s.answers;
  }

  /** Submissions of one form: one row each; question titles as headers, choice labels as values. */
  async function submissions(sink: TableSink, q: { form: string; orgUnit?: string; period?: string; scopePath: string }): Promise<number> {
    const { form, filter, labels } = await filterFor(q.form, q.orgUnit, q.period, q.scopePath);
    const flat = labels.filter((l) => !l.inner);
    const panels = labels.filter((l) => l.inner);
    await sink.row(['答卷编号 ID', '组织机构 Org unit', '机构编码 Code', '完成时间 Completed', '审核状态 Review', ...flat.map((l) => l.title), ...panels.map((l) => l.title)]);
    let n = 0;
    for await (const items of pages(filter)) {
      for (const s of items) {
        const unit = await unitOf(s.orgUnitId);
        const answers = await answersOf(form, s);
        await sink.row([
          s.id, unit?.name.zh ?? s.orgUnitId, unit?.code ?? '', s.completedAt, REVIEW_LABELS[s.reviewState] ?? s.reviewState,
          ...flat.map((l) => answerText(l, answers[l.name])),
          ...panels.map((l) => (Array.isArray(answers[l.name]) ? `${(answers[l.name] as unknown[]).length} 条 rows` : '')),
        ]);
        if (++n % 100 === 0) await yieldToEventLoop();
      }
    }
    await sink.end();
    return n;
  }

  /** Census in three layouts: households (one row per household), members (one per person), joined (household × member). */
  async function census(sink: TableSink, q: { form: string; layout: CensusLayout; orgUnit?: string; period?: string; scopePath: string }): Promise<number> {
    const { form, filter, labels } = await filterFor(q.form, q.orgUnit, q.period, q.scopePath);
    if (form.kind !== 'census') throw new AppError('VALIDATION_FAILED', { issues: [{ in: 'query', path: 'form', message: 'not a census form / 不是普查问卷' }] });
    const household = labels.filter((l) => !l.inner);
    const roster: QuestionLabel | undefined = labels.find((l) => l.inner);
    const memberCols = roster?.inner ?? [];
    const head = ['答卷编号 ID', '组织机构 Org unit', '完成时间 Completed'];
    const hhTitles = household.map((l) => l.title);
    const memberTitles = memberCols.map((l) => l.title);
    if (q.layout === 'households') await sink.row([...head, ...hhTitles, '家庭成员数 Members']);
    else if (q.layout === 'members') await sink.row(['答卷编号 ID', household[0]?.title ?? '户编码', '序号 No.', ...memberTitles]);
    else await sink.row([...head, ...hhTitles, '序号 No.', ...memberTitles]);
    let n = 0;
    for await (const items of pages(filter)) {
      for (const s of items) {
        const unit = await unitOf(s.orgUnitId);
        const answers = await answersOf(form, s);
        const hh = household.map((l) => answerText(l, answers[l.name]));
        const members = roster && Array.isArray(answers[roster.name]) ? (answers[roster.name] as Record<string, unknown>[]) : [];
        const base = [s.id, unit?.name.zh ?? s.orgUnitId, s.completedAt];
        if (q.layout === 'households') { await sink.row([...base, ...hh, members.length]); if (++n % 100 === 0) await yieldToEventLoop(); continue; }
        for (const [i, m] of members.entries()) {
          const cols = memberCols.map((l) => answerText(l, m?.[l.name]));
          if (q.layout === 'members') await sink.row([s.id, hh[0] ?? '', i + 1, ...cols]);
          else await sink.row([...base, ...hh, i + 1, ...cols]);
          if (++n % 100 === 0) await yieldToEventLoop();
        }
      }
    }
    await sink.end();
    return n;
  }

  /** The indicator table of an org unit and its children for a period. */
  async function indicatorTable(sink: TableSink, q: { orgUnit: string; period: string }): Promise<number> {
    const d = await deps.reports.dashboard(q.orgUnit, q.period, { trend: false });
    await sink.row(['指标 Indicator', '组织机构 Org unit', '统计期 Period', '分子 x', '分母 n', '率 Rate', '95%置信区间 CI', '目标 Target', '达标(点估计) Official', '统计判定 Statistical', '排除 Excluded', '排除原因 Reasons', '计算方法 Method']);
    const official = (s: string) => (s === 'met' ? '达标' : s === 'not_met' ? '未达标' : s === 'no_data' ? '无数据' : '');
    const statistical = (s: string) => (s === 'met' ? '达标' : s === 'not_met' ? '未达标' : s === 'inconclusive' ? '无法判定·样本不足' : s === 'no_data' ? '无数据' : '');
    let n = 0;
    for (const card of d.indicators) {
      const rows = [{ name: d.orgUnit.name.zh, cell: card.cell, own: true }, ...card.children.map((c) => ({ name: c.orgUnit.name.zh, cell: c.cell, own: false }))];
      for (const r of rows) {
        const agg = r.own ? card.aggregate : null;
        await sink.row([
          card.name.zh, r.name, d.period.id, round(r.cell.numerator), round(r.cell.denominator), r.cell.text, r.cell.intervalText,
          card.target?.text ?? '', official(r.cell.official), statistical(r.cell.statistical), r.cell.excludedTotal,
          r.cell.excluded.map((e) => `${e.label.zh} ${e.count}`).join('; '),
          agg && 'estimate' in agg ? `${agg.note.zh}: ${agg.text} ${agg.intervalText}` : '',
        ]);
        n++;
      }
    }
    for (const w of d.workPlan) {
      await sink.row([w.name.zh, d.orgUnit.name.zh, d.period.id, w.value, w.denominator ?? '', w.denominator ? formatRate(Math.min(1, Math.max(0, w.figure)), 1) : '', '', w.target ? `${w.target.op} ${w.target.value}` : '', official(w.official), '', '', '', '完整计数 complete count']);
      n++;
    }
    await sink.end();
    return n;
  }

  return { submissions, census, indicatorTable };
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;
