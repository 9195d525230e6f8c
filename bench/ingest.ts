/**
 * npm run bench -- ingest [--quiz N] [--census N] [--adapters sqlite,mongo-double]
 *
 * Posts synthetic valid submissions of the knowledge-quiz and household-census templates over HTTP
 * (batches of 50, keep-alive, concurrency 8) to the real server running in its own process, and
 * reports submissions/s and p95 request latency per adapter. In the same run, the raw baseline:
 * the same documents inserted straight into the storage adapter (no HTTP, no validation).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { contentHash } from '../server/hash';
import { openSqliteStorage } from '../server/storage/sqlite';
import { openMongoStorage } from '../server/storage/mongo';
import type { Storage, Submission } from '../server/storage/port';
import { EXAMPLE_ORG_UNITS_CSV } from '../server/demo-data';
import { censusAnswers, quizAnswers, rng, uuid, type Rng } from '../server/demo/synthetic';
import { startChild, type Child } from './support/processes';
import { jsonClient, percentile, signIn } from './support/http';

const BATCH = 50;

/** mongodb://host:port/?opts → mongodb://host:port/<db>?opts */
function withDb(uri: string, db: string): string {
  const u = new URL(uri);
  u.pathname = `/${db}`;
  return u.toString();
}
const CONCURRENCY = 8;

interface Item {
  id: string; formId: string; formVersion: number; orgUnit: string; answers: Record<string, unknown>;
  startedAt: string; completedAt: string;
}

interface Result { label: string; adapter: string; n: number; seconds: number; perSecond: number; p95ms: number | null; rejected: number }

function makeItems(r: Rng, n: number, formId: string, version: number, orgUnits: string[], answers: (r: Rng) => Record<string, unknown>): Item[] {
  const base = Date.parse('2026-03-01T01:00:00Z');
  return Array.from({ length: n }, (_, i) => {
    const started = base + i * 60_000;
    return {
      id: uuid(r), formId, formVersion: version, orgUnit: orgUnits[i % orgUnits.length] as string, answers: answers(r),
      startedAt: new Date(started).toISOString(), completedAt: new Date(started + 240_000).toISOString(),
    };
  });
}

async function postAll(client: ReturnType<typeof jsonClient>, items: Item[], headers: Record<string, string>) {
  const batches: Item[][] = [];
  for (let i = 0; i < items.length; i += BATCH) batches.push(items.slice(i, i + BATCH));
  const latencies: number[] = [];
  let rejected = 0;
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < batches.length) {
      const batch = batches[next++] as Item[];
      const s = process.hrtime.bigint();
      const res = await client.request('POST', '/api/v1/submissions', { submissions: batch }, headers);
      latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
      if (res.status !== 200) throw new Error(`batch failed: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
      const counts = (res.body as { counts: Record<string, number> }).counts;
      rejected += (counts.rejected ?? 0) + (counts.conflict ?? 0);
    }
  }));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  latencies.sort((a, b) => a - b);
  return { seconds, p95: percentile(latencies, 95), rejected };
}

async function rawInsert(storage: Storage, items: Item[], paths: Map<string, string>): Promise<number> {
  const docs: Submission[] = items.map((it) => ({
    id: it.id, formId: it.formId, formVersion: it.formVersion, orgUnitId: it.orgUnit, orgUnitPath: paths.get(it.orgUnit) ?? '/',
    answers: it.answers, contentHash: contentHash(it), startedAt: it.startedAt, completedAt: it.completedAt,
    receivedAt: new Date().toISOString(), deviceId: null, reviewState: 'received',
  }));
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < docs.length; i += BATCH) await storage.submissions.insertMany(docs.slice(i, i + BATCH));
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/** Copy the org units and forms the server created into a fresh store for the raw baseline. */
async function mirrorReferenceData(from: { orgUnits: unknown[]; forms: { id: string; versions: unknown[] }[] }, to: Storage) {
  await to.orgUnits.upsertMany(from.orgUnits as Parameters<Storage['orgUnits']['upsertMany']>[0]);
  for (const f of from.forms) {
    await to.forms.insert({
      id: f.id, slug: f.id, kind: 'general', title: { zh: f.id }, status: 'published', draft: null, draftUpdatedAt: null,
      latestVersion: 1, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
    });
    for (const v of f.versions as Parameters<Storage['forms']['publish']>[0][]) {
      await to.forms.publish(v, { status: 'published', latestVersion: v.version, draft: null, draftUpdatedAt: null, updatedAt: v.publishedAt });
    }
  }
}

export async function runIngest(args: string[]): Promise<Result[]> {
  const arg = (name: string, dflt: string) => { const i = args.indexOf(`--${name}`); return i >= 0 ? (args[i + 1] ?? dflt) : dflt; };
  const nQuiz = Number(arg('quiz', '20000'));
  const nCensus = Number(arg('census', '4000'));
  const adapters = arg('adapters', 'sqlite,mongo-double').split(',');
  const results: Result[] = [];

  for (const adapter of adapters) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-bench-'));
    let double: Child | null = null;
    let server: Child | null = null;
    try {
      // The load comes from one staff account; its per-user rate limit is lifted for the run
      // (a real township has many tablets, each with its own per-device bucket).
      const env: Record<string, string> = {
        DATA_DIR: tmp, SUBMISSION_BATCH_MAX: '100', BODY_LIMIT: '8mb',
        CUNWEN_ADMIN_USERNAME: 'bench', CUNWEN_ADMIN_PASSWORD: 'bench-password-1', RATE_LIMIT_USER_PER_MINUTE: '1000000',
      };
      if (adapter === 'mongo-double') {
        double = await startChild('bench/support/mongo-double-child.ts', {});
        env.MONGODB_URI = withDb(String(double.info.uri), 'cunwen_bench');
      }
      server = await startChild('bench/support/server-child.ts', env);
      const client = jsonClient(String(server.info.url), CONCURRENCY);
      const headers = await signIn(client, 'bench', 'bench-password-1');
      const csvRes = await fetch(new URL('/api/v1/org-units/import', String(server.info.url)), {
        method: 'POST', headers: { 'content-type': 'text/csv', ...headers }, body: EXAMPLE_ORG_UNITS_CSV,
      });
      if (!csvRes.ok) throw new Error(`org unit import: ${csvRes.status} ${await csvRes.text()}`);
      const units = (await client.request('GET', '/api/v1/org-units?level=group', undefined, headers)).body as { id: string; path: string }[];
      const allUnits = (await client.request('GET', '/api/v1/org-units', undefined, headers)).body as unknown[];
      const forms = (await client.request('GET', '/api/v1/forms', undefined, headers)).body as { id: string; slug: string; latestVersion: number }[];
      const quiz = forms.find((f) => f.slug === 'knowledge-quiz');
      const census = forms.find((f) => f.slug === 'household-census');
      if (!quiz || !census) throw new Error('templates not loaded');
      const quizVersion = (await client.request('GET', `/api/v1/forms/${quiz.id}/versions/${quiz.latestVersion}`, undefined, headers)).body as { definition: Record<string, unknown> };
      const censusVersion = (await client.request('GET', `/api/v1/forms/${census.id}/versions/${census.latestVersion}`, undefined, headers)).body;
      const r = rng(42);
      const groupIds = units.map((u) => u.id);
      const paths = new Map(units.map((u) => [u.id, u.path]));
      const quizItems = makeItems(r, nQuiz, quiz.id, quiz.latestVersion, groupIds, (rr) => quizAnswers(quizVersion.definition, rr));
      const censusItems = makeItems(r, nCensus, census.id, census.latestVersion, groupIds, censusAnswers);
      // warm-up: compile validators, JIT, page cache (not counted)
      await postAll(client, makeItems(r, 500, quiz.id, quiz.latestVersion, groupIds, (rr) => quizAnswers(quizVersion.definition, rr)), headers);
      await postAll(client, makeItems(r, 200, census.id, census.latestVersion, groupIds, censusAnswers), headers);

      const label = adapter === 'mongo-double' ? 'mongo adapter (against the test-only wire double, not a real MongoDB)' : 'sqlite';
      const q = await postAll(client, quizItems, headers);
      results.push({ label: `${label}: knowledge quiz over HTTP`, adapter, n: nQuiz, seconds: q.seconds, perSecond: nQuiz / q.seconds, p95ms: q.p95, rejected: q.rejected });
      const c = await postAll(client, censusItems, headers);
      results.push({ label: `${label}: household census over HTTP`, adapter, n: nCensus, seconds: c.seconds, perSecond: nCensus / c.seconds, p95ms: c.p95, rejected: c.rejected });

      // Raw baseline on a fresh store of the same kind, same documents with fresh ids.
      const rawStore: Storage = adapter === 'mongo-double'
        ? await openMongoStorage(withDb(String(double!.info.uri), 'cunwen_raw'))
        : openSqliteStorage({ dataDir: path.join(tmp, 'raw') });
      const quizVersionDoc = (await client.request('GET', `/api/v1/forms/${quiz.id}/versions/${quiz.latestVersion}`, undefined, headers)).body;
      await mirrorReferenceData({ orgUnits: allUnits, forms: [{ id: quiz.id, versions: [quizVersionDoc] }, { id: census.id, versions: [censusVersion] }] }, rawStore);
      const rq = await rawInsert(rawStore, quizItems.map((it) => ({ ...it, id: uuid(r) })), paths);
      results.push({ label: `${label}: knowledge quiz raw insert (baseline)`, adapter, n: nQuiz, seconds: rq, perSecond: nQuiz / rq, p95ms: null, rejected: 0 });
      const rc = await rawInsert(rawStore, censusItems.map((it) => ({ ...it, id: uuid(r) })), paths);
      results.push({ label: `${label}: household census raw insert (baseline)`, adapter, n: nCensus, seconds: rc, perSecond: nCensus / rc, p95ms: null, rejected: 0 });
      await rawStore.close();
      client.close();
    } finally {
      await server?.stop();
      await double?.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  return results;
}

export function formatIngest(results: Result[]): string {
  const lines = ['| what | n | submissions/s | p95 per batch of 50 (ms) | ratio to raw baseline | rejected |', '|---|---:|---:|---:|---:|---:|'];
  for (const r of results) {
    const raw = results.find((x) => x.adapter === r.adapter && x.p95ms === null && x.label.includes(r.label.includes('census') ? 'census' : 'quiz'));
    const ratio = r.p95ms !== null && raw ? `${(r.perSecond / raw.perSecond).toFixed(2)}×` : '1×';
    lines.push(`| ${r.label} | ${r.n} | ${Math.round(r.perSecond).toLocaleString('en')} | ${r.p95ms === null ? '—' : r.p95ms.toFixed(1)} | ${ratio} | ${r.rejected} |`);
  }
  return lines.join('\n');
}
