import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { buildApp, type BuiltApp } from '../../server/app';
import { openSqliteStorage, type SqliteStorage } from '../../server/storage/sqlite';

export interface TestApp extends BuiltApp {
  storage: SqliteStorage;
  dir: string;
  http: ReturnType<typeof request>;
  close(): Promise<void>;
}

/** The real Express app on a real SQLite file in a fresh temp directory. */
export function makeTestApp(opts: { batchMax?: number; bodyLimit?: string; now?: () => Date } = {}): TestApp {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-app-'));
  const storage = openSqliteStorage({ dataDir: dir });
  const built = buildApp({
    config: { bodyLimit: opts.bodyLimit ?? '1mb', submissionBatchMax: opts.batchMax ?? 100, clientDist: path.join(dir, 'no-client') },
    storage,
    log: pino({ level: 'silent' }),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return {
    ...built, storage, dir, http: request(built.app),
    async close() { await storage.close(); fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

/** A small knowledge quiz: two scored single-choice questions, one multi-select, one optional number. */
export const QUIZ_DEFINITION = {
  locale: 'zh-cn',
  pages: [{
    name: 'p1',
    elements: [
      { type: 'radiogroup', name: 'q1', title: { default: 'Legal marriage age for women?', 'zh-cn': '女性法定婚龄是多少岁?' }, isRequired: true, choices: ['18', '20', '22', 'dont_know'], correctAnswer: '20' },
      { type: 'radiogroup', name: 'q2', title: '叶酸可以预防出生缺陷', isRequired: true, choices: ['yes', 'no', 'dont_know'], correctAnswer: 'yes' },
      { type: 'checkbox', name: 'q3', title: '艾滋病的传播途径', choices: ['blood', 'sex', 'mother', 'mosquito'], correctAnswer: ['blood', 'sex', 'mother'] },
      { type: 'text', name: 'age', inputType: 'number', min: 15, max: 99, title: '年龄' },
    ],
  }],
};

export async function createOrgTree(http: TestApp['http']) {
  const mk = async (code: string, level: string, parentId: string | null) => {
    const r = await http.post('/api/v1/org-units').send({ code, name: { zh: code, en: code }, level, parentId });
    if (r.status !== 201) throw new Error(`org unit ${code}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { id: string; path: string };
  };
  const county = await mk('C1', 'county', null);
  const t1 = await mk('T1', 'township', county.id);
  const t2 = await mk('T2', 'township', county.id);
  const v1 = await mk('V1', 'village', t1.id);
  const v2 = await mk('V2', 'village', t2.id);
  const g1 = await mk('G1', 'group', v1.id);
  return { county, t1, t2, v1, v2, g1 };
}

export async function createPublishedQuiz(http: TestApp['http'], slug = 'quiz', definition: object = QUIZ_DEFINITION) {
  const c = await http.post('/api/v1/forms').send({ slug, kind: 'knowledge', title: { zh: '测验', en: 'Quiz' }, definition });
  if (c.status !== 201) throw new Error(`form: ${c.status} ${JSON.stringify(c.body)}`);
  const p = await http.post(`/api/v1/forms/${c.body.id}/publish`).send({ publishedBy: 'tester' });
  if (p.status !== 201) throw new Error(`publish: ${p.status} ${JSON.stringify(p.body)}`);
  return { formId: c.body.id as string, version: p.body.version as number };
}
