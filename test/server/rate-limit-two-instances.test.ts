/**
 * Two server instances behind a load balancer, one database (two `buildApp`s over two
 * `openSqliteStorage` handles on the same file, as in forms-two-instances.test.ts): the rate-limit
 * buckets live in the database, so a caller spreading requests over both instances gets the
 * configured rate once, not once per instance.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { buildApp } from '../../server/app';
import { DEFAULT_SECURITY, type SecurityConfig } from '../../server/config';
import { openSqliteStorage, type SqliteStorage } from '../../server/storage/sqlite';
import { ADMIN, type Agent } from '../support/app';

const SECURITY: SecurityConfig = {
  ...DEFAULT_SECURITY,
  rateLimits: { user: { burst: 4, perMinute: 4 }, device: { burst: 5, perMinute: 5 }, login: { burst: 3, perMinute: 1 }, enrol: { burst: 5, perMinute: 5 } },
};

interface Instance { storage: SqliteStorage; app: ReturnType<typeof buildApp>['app']; bootstrap: () => Promise<unknown> }

let clock = Date.parse('2026-06-01T08:00:00.000Z');
const now = () => new Date(clock);

function startInstance(dir: string): Instance {
  const storage = openSqliteStorage({ dataDir: dir });
  const built = buildApp({
    config: { bodyLimit: '1mb', submissionBatchMax: 100, clientDist: path.join(dir, 'no-client'), security: SECURITY },
    storage,
    now,
    log: pino({ level: 'silent' }),
    passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
  });
  return { storage, app: built.app, bootstrap: () => built.services.auth.bootstrap(ADMIN) };
}

async function signIn(inst: Instance): Promise<{ agent: Agent; status: number; code: unknown }> {
  const agent = request.agent(inst.app);
  const r = await agent.post('/api/v1/auth/login').send(ADMIN);
  if (r.status === 200) agent.set('X-CSRF-Token', r.body.csrfToken as string);
  return { agent, status: r.status, code: r.body?.error?.code };
}

let dir: string;
let a: Instance;
let b: Instance;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-rl-two-'));
  a = startInstance(dir);
  b = startInstance(dir);
  await a.bootstrap();
});
afterEach(async () => {
  await a.storage.close();
  await b.storage.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('rate limits across two server instances on one SQLite file', () => {
  it('the per-user bucket is shared: 4 requests in all across both instances, then 429 on either', async () => {
    const viaA = (await signIn(a)).agent;
    const viaB = (await signIn(b)).agent; // the same user, a second session, on the other instance
    const statuses: number[] = [];
    for (const agent of [viaA, viaB, viaA, viaB]) statuses.push((await agent.get('/api/v1/forms')).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    // with per-process buckets each instance would still allow 2 more
    for (const agent of [viaA, viaB]) {
      const r = await agent.get('/api/v1/forms');
      expect([r.status, r.body.error.code]).toEqual([429, 'RATE_LIMITED']);
      expect(r.body.error.details.retryAfterSeconds).toBe(15);
    }
    clock += 15_000; // one token back (4 per minute), usable on either instance, once
    expect((await viaB.get('/api/v1/forms')).status).toBe(200);
    expect((await viaA.get('/api/v1/forms')).status).toBe(429);
  });

  it('the per-username sign-in bucket is shared too', async () => {
    const tries = [await signIn(a), await signIn(b), await signIn(a)];
    expect(tries.map((t) => t.status)).toEqual([200, 200, 200]);
    const fourth = await signIn(b);
    expect([fourth.status, fourth.code]).toEqual([429, 'RATE_LIMITED']);
    expect((await signIn(a)).status).toBe(429);
  });
});
