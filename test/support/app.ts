import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { buildApp, type BuiltApp } from '../../server/app';
import { DEFAULT_SECURITY, type SecurityConfig } from '../../server/config';
import { openSqliteStorage, type SqliteStorage } from '../../server/storage/sqlite';
import type { DataKeys } from '../../server/security/data-keys';
import type { RoleAssignment } from '../../server/storage/port';

/** A signed-in browser: keeps the session cookie and sends the CSRF header on every request. */
export type Agent = ReturnType<typeof request.agent>;

export interface TestApp extends BuiltApp {
  storage: SqliteStorage;
  dir: string;
  /** signed in as the system-wide admin created at start (`ADMIN`) */
  http: Agent;
  /** no credentials at all */
  anon: ReturnType<typeof request>;
  /** Sign in (HTTP) and return an agent that sends the CSRF token. */
  signIn(username: string, password: string): Promise<Agent>;
  /** Create a user with these roles (as the admin) and return a signed-in agent for it. */
  userWith(username: string, roles: RoleAssignment[]): Promise<Agent & { userId: string }>;
  close(): Promise<void>;
}

export const ADMIN = { username: 'admin', password: 'admin-password-1' };
export const TEST_PASSWORD = 'test-password-1';
/** argon2id, cheap: tests sign in hundreds of times (production uses DEFAULT_PASSWORD_HASHING). */
const CHEAP_HASHING = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

export interface TestAppOptions {
  batchMax?: number;
  bodyLimit?: string;
  now?: () => Date;
  security?: Partial<SecurityConfig>;
  dataKeys?: DataKeys;
  /** the directory to use (reopen an existing store) */
  dir?: string;
}

/**
 * The real Express app on a real SQLite file in a fresh temp directory, with a system-wide admin
 * created the way a first start does (CUNWEN_ADMIN_*) and signed in as `http`.
 */
export async function makeTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-app-'));
  const storage = openSqliteStorage({ dataDir: dir });
  const built = buildApp({
    config: {
      bodyLimit: opts.bodyLimit ?? '1mb', submissionBatchMax: opts.batchMax ?? 100, clientDist: path.join(dir, 'no-client'),
      security: { ...DEFAULT_SECURITY, ...opts.security },
    },
    storage,
    log: pino({ level: 'silent' }),
    passwordHashing: CHEAP_HASHING,
    ...(opts.dataKeys ? { dataKeys: opts.dataKeys } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  await built.services.auth.bootstrap(ADMIN);
  const signIn = async (username: string, password: string): Promise<Agent> => {
    const agent = request.agent(built.app);
    const r = await agent.post('/api/v1/auth/login').send({ username, password });
    if (r.status !== 200) throw new Error(`sign-in ${username}: ${r.status} ${JSON.stringify(r.body)}`);
    agent.set('X-CSRF-Token', r.body.csrfToken as string);
    return agent;
  };
  const http = await signIn(ADMIN.username, ADMIN.password);
  return {
    ...built, storage, dir, http, anon: request(built.app), signIn,
    async userWith(username, roles) {
      const r = await http.post('/api/v1/users').send({ username, displayName: username, password: TEST_PASSWORD, roles });
      if (r.status !== 201) throw new Error(`user ${username}: ${r.status} ${JSON.stringify(r.body)}`);
      return Object.assign(await signIn(username, TEST_PASSWORD), { userId: r.body.id as string });
    },
    async close() { await storage.close(); if (!opts.dir) fs.rmSync(dir, { recursive: true, force: true }); },
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

export async function createOrgTree(http: Agent) {
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

export async function createPublishedQuiz(http: Agent, slug = 'quiz', definition: object = QUIZ_DEFINITION) {
  const c = await http.post('/api/v1/forms').send({ slug, kind: 'knowledge', title: { zh: '测验', en: 'Quiz' }, definition });
  if (c.status !== 201) throw new Error(`form: ${c.status} ${JSON.stringify(c.body)}`);
  const p = await http.post(`/api/v1/forms/${c.body.id}/publish`).send({ publishedBy: 'tester' });
  if (p.status !== 201) throw new Error(`publish: ${p.status} ${JSON.stringify(p.body)}`);
  return { formId: c.body.id as string, version: p.body.version as number };
}
