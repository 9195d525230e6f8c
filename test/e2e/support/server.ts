/**
 * The real CunWen server, in-process, on an ephemeral loopback port, with a fresh SQLite dir,
 * serving the built client (client/dist, built by `npm test` before Jest runs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { start, type Running } from '../../../server/main';
import { loadConfig } from '../../../server/config';
import { makePasswords } from '../../../server/security/passwords';
import type { Storage } from '../../../server/storage/port';

const STAFF_MARKER = 'x-cunwen-e2e-staff';

export const CLIENT_DIST = path.resolve(__dirname, '../../../client/dist');

export interface TestServer {
  running: Running;
  /** e.g. http://127.0.0.1:41234/ */
  url: string;
  dir: string;
  /**
   * The test's network switch at the server: while closed, every connection is dropped on arrival
   * (whatever the browser's emulation does, e.g. while it shuts down, nothing gets through).
   */
  setReachable(open: boolean): void;
  /**
   * With `{ admin: false }`: the one-time first-admin link the server would have printed
   * (`…/console/setup#token=…`), captured from start() instead of stdout; otherwise undefined.
   */
  setupLink?: string;
  /** A staff API call, signed in as the e2e admin (session cookie + CSRF header; none with `{ admin: false }`). */
  api<T = unknown>(method: string, apiPath: string, body?: unknown): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

/** True when every file the built service worker precaches is present (a build is not half-done). */
function completeBuild(dist: string): boolean {
  const swPath = path.join(dist, 'sw.js');
  if (!fs.existsSync(path.join(dist, 'index.html')) || !fs.existsSync(swPath)) return false;
  const list = /const PRECACHE = (\[[\s\S]*?\]);/.exec(fs.readFileSync(swPath, 'utf8'))?.[1];
  if (!list) return false;
  return (JSON.parse(list) as string[]).every((u) => fs.existsSync(path.join(dist, u)));
}

/**
 * A private copy of client/dist for one test file: other work in the same checkout may rebuild
 * client/dist while the browser tests run. Retries until it copies a complete build.
 */
async function snapshotDist(dir: string): Promise<string> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const copy = path.join(dir, 'client-dist');
    fs.rmSync(copy, { recursive: true, force: true });
    if (completeBuild(CLIENT_DIST)) {
      fs.cpSync(CLIENT_DIST, copy, { recursive: true });
      if (completeBuild(copy)) return copy;
    }
    if (Date.now() > deadline) throw new Error('client/dist is missing or incomplete: run `npm run build:client` first (npm test does)');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * `admin: false` starts like a real first start without CUNWEN_ADMIN_*: no user at all, and the
 * setup link (token) is handed to the test as `setupLink` (not printed).
 */
export async function startTestServer(opts: { clientDist?: string; admin?: boolean } = {}): Promise<TestServer> {
  const withAdmin = opts.admin ?? true;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-e2e-'));
  const clientDist = opts.clientDist ?? (await snapshotDist(dir));
  const config = loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent', CLIENT_DIST: clientDist, LOAD_TEMPLATES: 'false', COOKIE_SECURE: 'false',
    ...(withAdmin ? { CUNWEN_ADMIN_USERNAME: ADMIN.username, CUNWEN_ADMIN_PASSWORD: ADMIN.password } : {}),
  });
  let setupLink: string | undefined;
  const running = await start(config, withAdmin ? ensureAdmin : undefined, { onSetupLink: (link) => { setupLink = link; } });
  const url = running.url;
  let reachable = true;
  // Requests from the browser are dropped (socket destroyed, no reply) while unreachable; the
  // test's own staff calls carry a marker header and always pass.
  const handlers = running.server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  running.server.removeAllListeners('request');
  running.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!reachable && req.headers[STAFF_MARKER] !== '1') {
      req.socket.destroy();
      return;
    }
    for (const handler of handlers) handler.call(running.server, req, res);
  });
  let cookie = '';
  let csrf = '';
  const call = async <T>(method: string, apiPath: string, body?: unknown) => {
    const headers: Record<string, string> = { [STAFF_MARKER]: '1' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (cookie) headers.cookie = cookie;
    if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
    const res = await fetch(new URL(apiPath, url), { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const setCookies = res.headers.getSetCookie();
    if (setCookies.length > 0) cookie = setCookies.map((c) => c.split(';')[0]).join('; ');
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
  if (withAdmin) {
    const login = await call<{ csrfToken?: string }>('POST', '/api/v1/auth/login', { username: ADMIN.username, password: ADMIN.password });
    if (login.status !== 200) throw new Error(`e2e admin sign-in failed: ${login.status} ${JSON.stringify(login.body)}`);
    csrf = login.body.csrfToken ?? '';
  } else if (!setupLink) {
    await running.stop();
    throw new Error('a first start without an admin printed no setup link');
  }
  return {
    running, url, dir, setupLink,
    api: call,
    setReachable(open: boolean) {
      reachable = open;
    },
    async stop() {
      await running.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const ADMIN = { username: 'e2e-admin', password: 'e2e-password-123' };

/**
 * Makes sure the e2e admin exists before the server listens (the server creates it from
 * CUNWEN_ADMIN_* at first start; this covers a start that does not).
 */
async function ensureAdmin(storage: Storage): Promise<void> {
  // The user store is part of the access work; typed loosely so this helper does not pin its shape.
  const users = (storage as unknown as { users?: { count(): Promise<number>; insertFirst(user: unknown): Promise<boolean> } }).users;
  if (!users || (await users.count()) > 0) return;
  const at = new Date().toISOString();
  await users.insertFirst({
    id: randomUUID(), username: ADMIN.username, displayName: ADMIN.username, passwordHash: await makePasswords().hash(ADMIN.password),
    roles: [{ role: 'admin', orgUnitId: null }], disabled: false, createdAt: at, updatedAt: at,
  });
}

/** Polls `check` until it returns a truthy value (condition wait, not a sleep). */
export async function waitFor<T>(check: () => Promise<T> | T, what: string, timeoutMs = 15_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${String(last)})`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
