/**
 * Two server instances behind a load balancer, one database: two `buildApp`s over two
 * `openSqliteStorage` handles on the same file (docs/deploy-mongodb.md: the server keeps no state a
 * second instance needs). The draft-revision check and publishing must hold across them, which an
 * in-process lock cannot do. To make the race certain rather than likely, the form reads go
 * through a gate: both instances read the same state before either writes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { buildApp } from '../../server/app';
import { DEFAULT_SECURITY } from '../../server/config';
import { openSqliteStorage, type SqliteStorage } from '../../server/storage/sqlite';
import type { Form, Storage } from '../../server/storage/port';
import { ADMIN, QUIZ_DEFINITION, createPublishedQuiz, type Agent } from '../support/app';

/** Controls `storage.forms.get` of both instances (the read before a save or a publish). */
class ReadGate {
  private barrier: { n: number; waiting: Array<() => void> } | null = null;
  private held: { reached: () => void; released: Promise<void> } | null = null;

  /** The next `n` reads (from any instance) each wait until all `n` have been made. */
  together(n: number): void {
    this.barrier = { n, waiting: [] };
  }

  /** The next read is held until `release()`; `reached` resolves once it has been made. */
  holdNext(): { reached: Promise<void>; release: () => void } {
    let release = () => {};
    const released = new Promise<void>((r) => { release = r; });
    let reached = () => {};
    const reachedP = new Promise<void>((r) => { reached = r; });
    this.held = { reached, released };
    return { reached: reachedP, release };
  }

  async afterRead(): Promise<void> {
    const held = this.held;
    if (held) {
      this.held = null;
      held.reached();
      await held.released;
      return;
    }
    const b = this.barrier;
    if (!b) return;
    await new Promise<void>((resolve) => {
      b.waiting.push(resolve);
      if (b.waiting.length === b.n) {
        this.barrier = null;
        for (const go of b.waiting) go();
      }
    });
  }
}

interface Instance { storage: SqliteStorage; http: Agent }

async function startInstance(dir: string, gate: ReadGate): Promise<Instance> {
  const storage = openSqliteStorage({ dataDir: dir });
  const gated: Storage = {
    ...storage,
    forms: {
      ...storage.forms,
      async get(id: string): Promise<Form | null> {
        const f = await storage.forms.get(id);
        await gate.afterRead();
        return f;
      },
    },
  };
  const built = buildApp({
    config: { bodyLimit: '1mb', submissionBatchMax: 100, clientDist: path.join(dir, 'no-client'), security: DEFAULT_SECURITY },
    storage: gated,
    log: pino({ level: 'silent' }),
    passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 },
  });
  await built.services.auth.bootstrap(ADMIN);
  const http = request.agent(built.app);
  const r = await http.post('/api/v1/auth/login').send(ADMIN);
  if (r.status !== 200) throw new Error(`sign-in: ${r.status} ${JSON.stringify(r.body)}`);
  http.set('X-CSRF-Token', r.body.csrfToken as string);
  return { storage, http };
}

let dir: string;
let gate: ReadGate;
let a: Instance;
let b: Instance;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-two-'));
  gate = new ReadGate();
  a = await startInstance(dir, gate);
  b = await startInstance(dir, gate);
});
afterEach(async () => {
  await a.storage.close();
  await b.storage.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const titled = (title: string) => ({ ...QUIZ_DEFINITION, title });

describe('two server instances on one SQLite file', () => {
  it('share the database (what one writes the other reads)', async () => {
    const { formId } = await createPublishedQuiz(a.http);
    expect((await b.http.get(`/api/v1/forms/${formId}`)).body.latestVersion).toBe(1);
    expect(a.storage.db).not.toBe(b.storage.db);
  });

  it('saves from the same base through different instances: one 200, one 409, the winner stored', async () => {
    const { formId } = await createPublishedQuiz(a.http);
    const base = (await a.http.patch(`/api/v1/forms/${formId}`).send({ definition: titled('base') })).body.draftUpdatedAt as string;
    gate.together(2);
    const [x, y] = await Promise.all([
      a.http.patch(`/api/v1/forms/${formId}`).send({ definition: titled('via A'), expectedDraftUpdatedAt: base }),
      b.http.patch(`/api/v1/forms/${formId}`).send({ definition: titled('via B'), expectedDraftUpdatedAt: base }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    const [won, lost] = x.status === 200 ? [x, y] : [y, x];
    expect(lost.body.error.code).toBe('FORM_DRAFT_CONFLICT');
    expect(lost.body.error.details).toMatchObject({ expectedDraftUpdatedAt: base, draftUpdatedAt: won.body.draftUpdatedAt });
    for (const inst of [a, b]) {
      const now = (await inst.http.get(`/api/v1/forms/${formId}`)).body;
      expect(now.draft.title).toBe(won === x ? 'via A' : 'via B');
      expect(now.draftUpdatedAt).toBe(won.body.draftUpdatedAt);
    }
  });

  it('a null base (no draft yet) through different instances: one 200, one 409', async () => {
    const { formId } = await createPublishedQuiz(a.http);
    gate.together(2);
    const [x, y] = await Promise.all([
      a.http.patch(`/api/v1/forms/${formId}`).send({ definition: titled('via A'), expectedDraftUpdatedAt: null }),
      b.http.patch(`/api/v1/forms/${formId}`).send({ definition: titled('via B'), expectedDraftUpdatedAt: null }),
    ]);
    expect([x.status, y.status].sort()).toEqual([200, 409]);
    expect((await b.http.get(`/api/v1/forms/${formId}`)).body.draft.title).toBe(x.status === 200 ? 'via A' : 'via B');
  });

  it('overwrites (no expected revision) through both instances at once: both stored in turn, distinct revisions, the answer is what was written', async () => {
    const { formId } = await createPublishedQuiz(a.http);
    const base = (await a.http.patch(`/api/v1/forms/${formId}`).send({ definition: titled('base') })).body.draftUpdatedAt as string;
    gate.together(2);
    const [x, y] = await Promise.all([
      a.http.patch(`/api/v1/forms/${formId}`).send({ definition: titled('via A') }),
      b.http.patch(`/api/v1/forms/${formId}`).send({ definition: titled('via B') }),
    ]);
    expect([x.status, y.status]).toEqual([200, 200]);
    expect(new Set([base, x.body.draftUpdatedAt, y.body.draftUpdatedAt]).size).toBe(3);
    expect(x.body.draft.title).toBe('via A');
    expect(y.body.draft.title).toBe('via B');
    const last = x.body.draftUpdatedAt > y.body.draftUpdatedAt ? x : y;
    const now = (await a.http.get(`/api/v1/forms/${formId}`)).body;
    expect(now.draftUpdatedAt).toBe(last.body.draftUpdatedAt);
    expect(now.draft.title).toBe(last.body.draft.title);
  });

  it('publishing the same draft through both instances at once: one 201, one clean 409, one version', async () => {
    const { formId } = await createPublishedQuiz(a.http);
    expect((await a.http.patch(`/api/v1/forms/${formId}`).send({ definition: titled('v2') })).status).toBe(200);
    gate.together(2);
    const [x, y] = await Promise.all([
      a.http.post(`/api/v1/forms/${formId}/publish`).send({}),
      b.http.post(`/api/v1/forms/${formId}/publish`).send({}),
    ]);
    expect([x.status, y.status].sort()).toEqual([201, 409]);
    const lost = x.status === 409 ? x : y;
    expect(lost.body.error.code).toBe('FORM_UNCHANGED');
    expect(lost.body.error.details).toMatchObject({ version: 2, race: true });
    const versions = (await b.http.get(`/api/v1/forms/${formId}/versions`)).body as Array<{ version: number }>;
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect((await a.http.get(`/api/v1/forms/${formId}`)).body).toMatchObject({ latestVersion: 2, hasDraft: false, draftUpdatedAt: null });
  });

  it('a publish that loses the version number to a different draft is a 409 FORM_DRAFT_CONFLICT, not a 500', async () => {
    const { formId } = await createPublishedQuiz(a.http);
    const base = (await a.http.patch(`/api/v1/forms/${formId}`).send({ definition: titled('read by A') })).body.draftUpdatedAt as string;
    const held = gate.holdNext();
    // supertest sends on then(): start it now, await it later
    const publishA = a.http.post(`/api/v1/forms/${formId}/publish`).send({}).then((r) => r);
    await held.reached; // A has read the draft 'read by A' and the latest version 1
    expect((await b.http.patch(`/api/v1/forms/${formId}`).send({ definition: titled('by B'), expectedDraftUpdatedAt: base })).status).toBe(200);
    const pb = await b.http.post(`/api/v1/forms/${formId}/publish`).send({});
    expect(pb.status).toBe(201);
    expect(pb.body.version).toBe(2);
    held.release();
    const pa = await publishA;
    expect(pa.status).toBe(409);
    expect(pa.body.error.code).toBe('FORM_DRAFT_CONFLICT');
    expect(pa.body.error.details).toMatchObject({ race: true, expectedDraftUpdatedAt: base });
    const v2 = (await a.http.get(`/api/v1/forms/${formId}/versions/2`)).body;
    expect(v2.definition.title).toBe('by B');
  });

  it('a draft saved through one instance while the other publishes the older one is kept, not wiped', async () => {
    const { formId } = await createPublishedQuiz(a.http);
    const base = (await a.http.patch(`/api/v1/forms/${formId}`).send({ definition: titled('published by A') })).body.draftUpdatedAt as string;
    const held = gate.holdNext();
    // supertest sends on then(): start it now, await it later
    const publishA = a.http.post(`/api/v1/forms/${formId}/publish`).send({}).then((r) => r);
    await held.reached;
    const saved = await b.http.patch(`/api/v1/forms/${formId}`).send({ definition: titled('newer, by B'), expectedDraftUpdatedAt: base });
    expect(saved.status).toBe(200);
    held.release();
    const pa = await publishA;
    expect(pa.status).toBe(201);
    expect(pa.body.version).toBe(2);
    expect((await b.http.get(`/api/v1/forms/${formId}/versions/2`)).body.definition.title).toBe('published by A');
    const now = (await b.http.get(`/api/v1/forms/${formId}`)).body;
    expect(now).toMatchObject({ latestVersion: 2, status: 'published', hasDraft: true, draftUpdatedAt: saved.body.draftUpdatedAt });
    expect(now.draft.title).toBe('newer, by B');
    // B's designer carries on from its own revision
    const next = await b.http.patch(`/api/v1/forms/${formId}`).send({ definition: titled('B again'), expectedDraftUpdatedAt: saved.body.draftUpdatedAt });
    expect(next.status).toBe(200);
  });
});
