/**
 * npm run bench -- reports [--n 1000000] [--mongo-n 300] [--adapters sqlite,mongo-double] [--reps 40]
 *
 * 1 county, 10 townships, 200 villages, 1,000 groups; n synthetic submissions (70% knowledge quiz,
 * 30% satisfaction) over Jan 2024 – Oct 2026, inserted through the storage port with scoring and
 * rollup deltas (as ingestion does; HTTP ingest is benchmarked in `ingest`), one batch per village
 * and month in random order (a tablet's batch comes from one village). Then:
 * - dashboard (cards, child table, trend, post-stratified/pooled aggregate) for a township-year and
 *   the county-year, served from rollups: p50/p95 over --reps calls;
 * - the per-item view for the county-year;
 * - the same county-year numbers by a plain scan over all submissions (baseline) and the ratio;
 * - rollup rebuild time;
 * - CSV export of every quiz submission and XLSX of one township's, rows/s, the longest event-loop
 *   stall during the export, and peak RSS.
 * The mongo adapter runs against the test-only wire double (an in-memory mingo server that scans
 * per update — about 3 submissions/s with rollups), with only --mongo-n submissions, labelled as
 * such: its figures say the code path works, not how fast MongoDB is.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { contentHash } from '../server/hash';
import { openSqliteStorage } from '../server/storage/sqlite';
import { openMongoStorage } from '../server/storage/mongo';
import type { OrgUnit, Storage, Submission } from '../server/storage/port';
import { loadTemplatesIntoEmptyStore } from '../server/seed';
import { makeRollupEngine } from '../server/modules/reports/rollups';
import { makeReportService } from '../server/modules/reports/reports.service';
import { csvSink, makeExports, xlsxSink } from '../server/modules/reports/exports';
import { evaluateIndicator, AWARENESS_INDICATOR, SATISFACTION_INDICATOR } from '../common/scoring';
import { parsePeriod } from '../common/periods';
import { pick, quizAnswers, rng, satisfactionAnswers, uuid, type Rng } from '../server/demo/synthetic';
import { startChild, type Child } from './support/processes';
import { percentile } from './support/http';

interface Figures {
  label: string;
  n: number;
  insertSeconds: number;
  township: { p50: number; p95: number };
  county: { p50: number; p95: number };
  items: { p50: number; p95: number };
  scanSeconds: number;
  scanMatches: boolean;
  rebuildSeconds: number;
  csv: { rows: number; seconds: number; bytes: number; maxStallMs: number; p99StallMs: number; rssBeforeMiB: number; rssPeakMiB: number };
  xlsx: { rows: number; seconds: number; bytes: number; maxStallMs: number; p99StallMs: number; rssBeforeMiB: number; rssPeakMiB: number };
  peakRssMiB: number;
}

const T = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;
const progress = (msg: string) => process.stderr.write(`[reports bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

function tree(now: string): { units: OrgUnit[]; groups: OrgUnit[]; townships: OrgUnit[]; county: OrgUnit; villageSkill: Map<string, number> } {
  const mk = (id: string, code: string, zh: string, level: OrgUnit['level'], parent: OrgUnit | null): OrgUnit => ({
    id, code, name: { zh, en: code }, level, parentId: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/`, createdAt: now, updatedAt: now,
  });
  const county = mk('bc', 'BC', '基准县', 'county', null);
  const units = [county];
  const groups: OrgUnit[] = [];
  const townships: OrgUnit[] = [];
  const villageSkill = new Map<string, number>();
  const r = rng(7);
  for (let t = 0; t < 10; t++) {
    const tw = mk(`bt${t}`, `BT${t}`, `镇${t}`, 'township', county);
    units.push(tw); townships.push(tw);
    for (let v = 0; v < 20; v++) {
      const vi = mk(`bv${t}_${v}`, `BV${t}_${v}`, `村${t}-${v}`, 'village', tw);
      units.push(vi);
      villageSkill.set(vi.id, 0.82 + r() * 0.17);
      for (let g = 0; g < 5; g++) {
        const gr = mk(`bg${t}_${v}_${g}`, `BG${t}_${v}_${g}`, `组${t}-${v}-${g}`, 'group', vi);
        units.push(gr); groups.push(gr);
      }
    }
  }
  return { units, groups, townships, county, villageSkill };
}

async function timeIt(reps: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 3; i++) await fn(); // warm
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

class CountingSink extends Writable {
  bytes = 0;
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) { this.bytes += chunk.length; setImmediate(cb); }
}

async function run(label: string, storage: Storage, n: number, reps: number, sampleRss: () => void): Promise<Figures> {
  const now = '2026-11-29T00:00:00.000Z';
  const { units, groups, townships, county, villageSkill } = tree(now);
  await storage.orgUnits.upsertMany(units);
  await loadTemplatesIntoEmptyStore(storage, pino({ level: 'silent' }), () => new Date(now));
  const quiz = (await storage.forms.getBySlug('knowledge-quiz'))!;
  const sat = (await storage.forms.getBySlug('satisfaction-survey'))!;
  const qv = (await storage.forms.getVersion(quiz.id, quiz.latestVersion!))!;
  const sv = (await storage.forms.getVersion(sat.id, sat.latestVersion!))!;
  const engine = makeRollupEngine({ storage, now: () => new Date(now) });
  const reports = makeReportService({ storage, now: () => new Date(now), engine });
  const exporter = makeExports({ storage, reports });

  // insert: one batch per village and month (as a tablet in that village sends them), in random order
  const r: Rng = rng(2024);
  const villages = units.filter((u) => u.level === 'village');
  const months: number[] = [];
  for (let m = 0; ; m++) {
    const t = Date.UTC(2024, m, 1) - 8 * 3600_000;
    if (t >= Date.parse('2026-11-01T00:00:00+08:00')) break;
    months.push(t);
  }
  const pairs = villages.flatMap((v) => months.map((m) => ({ v, m })));
  for (let i = pairs.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [pairs[i], pairs[j]] = [pairs[j]!, pairs[i]!]; }
  const avg = n / pairs.length;
  const groupsOf = new Map(villages.map((v) => [v.id, groups.filter((g) => g.parentId === v.id)]));
  const t0 = process.hrtime.bigint();
  let done = 0;
  for (let k = 0; done < n; k++) {
    const { v: village, m: monthStart } = pairs[k % pairs.length]!;
    const size = Math.min(n - done, Math.max(1, Math.round(avg * (0.5 + r()))));
    const batch: Submission[] = [];
    for (let i = 0; i < size; i++) {
      const g = pick(r, groupsOf.get(village.id)!);
      const isQuiz = r() < 0.7;
      const v = isQuiz ? qv : sv;
      const answers = isQuiz ? quizAnswers(qv.definition, r, villageSkill.get(village.id) ?? 0.9) : satisfactionAnswers(sv.definition, r, 3.8 + r());
      const completed = new Date(monthStart + Math.floor(r() * 27 * 86400_000)).toISOString();
      const item = { formId: v.formId, formVersion: v.version, orgUnit: g.id, answers, startedAt: completed, completedAt: completed };
      batch.push({
        id: uuid(r), formId: v.formId, formVersion: v.version, orgUnitId: g.id, orgUnitPath: g.path, answers, contentHash: contentHash(item),
        startedAt: completed, completedAt: completed, receivedAt: completed, deviceId: null, reviewState: 'received',
      });
    }
    await storage.submissions.insertMany(batch, await engine.prepare(batch));
    done += size;
    if (k % 200 === 0) sampleRss();
    if (k % 2000 === 0) progress(`${label}: inserted ${done.toLocaleString('en')} / ${n.toLocaleString('en')}`);
  }
  const insertSeconds = T(t0);

  progress(`${label}: insert done in ${insertSeconds.toFixed(0)} s; dashboards`);
  // dashboards from rollups
  const township = await timeIt(reps, () => reports.dashboard(townships[3]!.id, '2025'));
  const countyT = await timeIt(reps, () => reports.dashboard(county.id, '2025'));
  const items = await timeIt(reps, () => reports.items(county.id, '2025', quiz.id));
  const fromRollups = await reports.dashboard(county.id, '2025', { children: false, trend: false });

  // baseline: the same county-year numbers by a plain scan over the submissions
  const year = parsePeriod('2025')!;
  const s0 = process.hrtime.bigint();
  const acc = new Map<string, { x: number; n: number }>([['awareness', { x: 0, n: 0 }], ['satisfaction', { x: 0, n: 0 }]]);
  let cursor: string | null = null;
  for (;;) {
    const page: { items: Submission[]; next: string | null } = await storage.reports.scan({ orgUnitPath: county.path, completedFrom: year.start, completedTo: year.end }, cursor, 5000);
    for (const s of page.items) {
      const def = s.formId === quiz.id ? AWARENESS_INDICATOR : SATISFACTION_INDICATOR;
      const e = evaluateIndicator(def, (s.formId === quiz.id ? qv : sv).definition, s.answers);
      const a = acc.get(def.id)!;
      a.x += e.numeratorValue; a.n += e.denominatorValue;
    }
    if (!page.next) break;
    cursor = page.next;
  }
  const scanSeconds = T(s0);
  const scanMatches = fromRollups.indicators.every((c) => {
    const a = acc.get(c.id);
    return !a || (Math.abs(a.x - c.cell.numerator) < 1e-9 * Math.max(1, a.n) && a.n === c.cell.denominator);
  });
  sampleRss();

  progress(`${label}: plain scan ${scanSeconds.toFixed(1)} s; exports`);
  // exports, with an event-loop stall monitor
  const exportRun = async (kind: 'csv' | 'xlsx', orgUnit?: string) => {
    const h = monitorEventLoopDelay({ resolution: 5 });
    h.enable();
    const sink = new CountingSink({ highWaterMark: 64 * 1024 });
    (globalThis as { gc?: () => void }).gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const timer = setInterval(() => { sampleRss(); rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 50);
    const e0 = process.hrtime.bigint();
    const rows = await exporter.submissions(kind === 'csv' ? csvSink(sink) : xlsxSink(sink, 'x'), { form: quiz.id, scopePath: '/', ...(orgUnit ? { orgUnit } : {}) });
    const seconds = T(e0);
    clearInterval(timer);
    h.disable();
    return { rows, seconds, bytes: sink.bytes, maxStallMs: h.max / 1e6, p99StallMs: h.percentile(99) / 1e6, rssBeforeMiB: rssBefore / 2 ** 20, rssPeakMiB: rssPeak / 2 ** 20 };
  };
  const csv = await exportRun('csv');
  const xlsx = await exportRun('xlsx', townships[0]!.id);
  sampleRss();
  progress(`${label}: exports done; rebuild`);
  // rebuild
  const r0 = process.hrtime.bigint();
  await engine.rebuild({ pageSize: 5000 });
  const rebuildSeconds = T(r0);
  sampleRss();


  return { label, n, insertSeconds, township, county: countyT, items, scanSeconds, scanMatches, rebuildSeconds, csv, xlsx, peakRssMiB: 0 };
}

export async function runReports(args: string[]): Promise<Figures[]> {
  const arg = (name: string, dflt: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? (args[i + 1] ?? dflt) : dflt; };
  const n = Number(arg('n', '1000000'));
  // the wire double is an in-memory mingo server that scans a collection per update: a few hundred is all it can take
  const mongoN = Number(arg('mongo-n', String(Math.min(n, 300))));
  const reps = Number(arg('reps', '40'));
  const adapters = arg('adapters', 'sqlite,mongo-double').split(',');
  const out: Figures[] = [];
  for (const adapter of adapters) {
    let peak = 0;
    const sampleRss = () => { peak = Math.max(peak, process.memoryUsage().rss); };
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-bench-reports-'));
    let double: Child | null = null;
    let storage: Storage | null = null;
    try {
      if (adapter === 'mongo-double') {
        double = await startChild('bench/support/mongo-double-child.ts', {});
        storage = await openMongoStorage(String(double.info.uri), { dbName: 'cunwen_reports' });
      } else {
        storage = openSqliteStorage({ dataDir: tmp });
      }
      const label = adapter === 'mongo-double' ? 'mongo adapter on the test-only wire double (not a real MongoDB)' : 'sqlite';
      const f = await run(label, storage, adapter === 'mongo-double' ? mongoN : n, adapter === 'mongo-double' ? Math.min(reps, 10) : reps, sampleRss);
      f.peakRssMiB = peak / 2 ** 20;
      out.push(f);
    } finally {
      await storage?.close();
      await double?.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return out;
}

export function formatReports(fs_: Figures[]): string {
  const ms = (v: number) => v.toFixed(1);
  const lines = [
    '| adapter | n | insert with rollups (subm./s) | township-year dashboard p50 / p95 (ms) | county-year dashboard p50 / p95 (ms) | per-item view p95 (ms) | county-year by plain scan (s) | scan ÷ rollup p50 | rebuild (s) | CSV export rows/s (event-loop delay p99 / max ms; RSS before → peak MiB) | XLSX export rows/s (delay p99 / max ms; RSS before → peak MiB) | peak RSS whole run (MiB) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const f of fs_) {
    lines.push(`| ${f.label} | ${f.n.toLocaleString('en')} | ${Math.round(f.n / f.insertSeconds).toLocaleString('en')} | ${ms(f.township.p50)} / ${ms(f.township.p95)} | ${ms(f.county.p50)} / ${ms(f.county.p95)} | ${ms(f.items.p95)} | ${f.scanSeconds.toFixed(2)}${f.scanMatches ? '' : ' (MISMATCH)'} | ${Math.round((f.scanSeconds * 1000) / f.county.p50).toLocaleString('en')}× | ${f.rebuildSeconds.toFixed(1)} | ${Math.round(f.csv.rows / f.csv.seconds).toLocaleString('en')} (${f.csv.rows.toLocaleString('en')} rows, ${(f.csv.bytes / 2 ** 20).toFixed(0)} MiB; ${ms(f.csv.p99StallMs)} / ${ms(f.csv.maxStallMs)}; ${f.csv.rssBeforeMiB.toFixed(0)} → ${f.csv.rssPeakMiB.toFixed(0)}) | ${Math.round(f.xlsx.rows / f.xlsx.seconds).toLocaleString('en')} (${f.xlsx.rows.toLocaleString('en')} rows; ${ms(f.xlsx.p99StallMs)} / ${ms(f.xlsx.maxStallMs)}; ${f.xlsx.rssBeforeMiB.toFixed(0)} → ${f.xlsx.rssPeakMiB.toFixed(0)}) | ${f.peakRssMiB.toFixed(0)} |`);
  }
  return lines.join('\n');
}
