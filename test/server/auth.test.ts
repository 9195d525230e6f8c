import request from 'supertest';
import { ADMIN, TEST_PASSWORD, makeTestApp, type TestApp } from '../support/app';

let t: TestApp;
let clock: number;
const now = () => new Date(clock);
beforeEach(async () => {
  clock = Date.parse('2026-03-01T08:00:00Z');
  t = await makeTestApp({ now, security: { sessionIdleMinutes: 30, sessionMaxHours: 2 } });
});
afterEach(async () => { await t.close(); });

const cookiesOf = (res: request.Response): string[] => {
  const v = res.headers['set-cookie'] as unknown;
  return Array.isArray(v) ? (v as string[]) : typeof v === 'string' ? [v] : [];
};

describe('sign-in', () => {
  it('sets an httpOnly SameSite=Strict session cookie and a readable CSRF cookie; /auth/me answers with the CSRF token', async () => {
    const r = await t.anon.post('/api/v1/auth/login').send({ username: ADMIN.username, password: ADMIN.password });
    expect(r.status).toBe(200);
    const [session, csrf] = [cookiesOf(r).find((c) => c.startsWith('cw_session=')), cookiesOf(r).find((c) => c.startsWith('cw_csrf='))];
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).not.toMatch(/Secure/); // plain http and COOKIE_SECURE=auto
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(r.body.user).toMatchObject({ username: 'admin', roles: [{ role: 'admin', orgUnitId: null }] });
    expect(r.body.user.passwordHash).toBeUndefined();
    expect(csrf).toContain(`cw_csrf=${r.body.csrfToken};`);
    const sessionValue = /cw_session=([^;]+)/.exec(session!)![1]!;
    // only the hash of the session id is stored
    const raw = t.storage.db.prepare('SELECT id_hash FROM sessions').all() as { id_hash: string }[];
    expect(raw.map((x) => x.id_hash)).not.toContain(sessionValue);
    expect(raw[0]!.id_hash).toMatch(/^[0-9a-f]{64}$/);
    const me = await t.http.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe('admin');
  });

  it('marks cookies Secure when COOKIE_SECURE=true', async () => {
    const s = await makeTestApp({ security: { cookieSecure: true } });
    const r = await s.anon.post('/api/v1/auth/login').send(ADMIN);
    expect(cookiesOf(r).every((c) => /; Secure/.test(c))).toBe(true);
    await s.close();
  });

  it('answers a wrong password and an unknown user with the same generic error, and audits both', async () => {
    const wrong = await t.anon.post('/api/v1/auth/login').send({ username: 'admin', password: 'wrong-password' });
    const unknown = await t.anon.post('/api/v1/auth/login').send({ username: 'nobody', password: 'wrong-password' });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'LOGIN_FAILED']);
    expect([unknown.status, unknown.body.error]).toEqual([401, wrong.body.error]);
    const audit = await t.http.get('/api/v1/audit?type=auth.login_failed');
    expect(audit.body.items.map((e: { actorName: string }) => e.actorName).sort()).toEqual(['admin', 'nobody']);
    expect(JSON.stringify(audit.body)).not.toContain('wrong-password');
  });

  it('locks a username after 5 failures for 15 minutes, even with the right password, for unknown usernames too', async () => {
    for (let i = 0; i < 5; i++) expect((await t.anon.post('/api/v1/auth/login').send({ username: 'admin', password: `bad-${i}-xxxxxx` })).body.error.code).toBe('LOGIN_FAILED');
    const locked = await t.anon.post('/api/v1/auth/login').send(ADMIN);
    expect([locked.status, locked.body.error.code]).toEqual([429, 'LOGIN_LOCKED']);
    for (let i = 0; i < 5; i++) await t.anon.post('/api/v1/auth/login').send({ username: 'ghost', password: 'whatever-123' });
    expect((await t.anon.post('/api/v1/auth/login').send({ username: 'ghost', password: 'whatever-123' })).body.error.code).toBe('LOGIN_LOCKED');
    clock += 15 * 60_000 + 1000;
    expect((await t.anon.post('/api/v1/auth/login').send(ADMIN)).status).toBe(200);
  });

  it('rate-limits sign-in attempts per username (not per IP)', async () => {
    const s = await makeTestApp({ security: { loginMaxFailures: 100, rateLimits: { user: { burst: 100, perMinute: 100 }, device: { burst: 100, perMinute: 100 }, login: { burst: 3, perMinute: 3 }, enrol: { burst: 5, perMinute: 5 } } } });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await s.anon.post('/api/v1/auth/login').send({ username: 'carol', password: 'bad-password-1' })).status);
    expect(codes).toEqual([401, 401, 401, 429]);
    // another username from the same address is not affected
    expect((await s.anon.post('/api/v1/auth/login').send({ username: 'dave', password: 'bad-password-1' })).status).toBe(401);
    await s.close();
  });
});

describe('hostile sign-in input', () => {
  it('answers operator objects, huge and odd values with 4xx, never 5xx', async () => {
    const bodies: unknown[] = [
      { username: { $ne: null }, password: { $ne: null } }, { username: 'admin', password: { $gt: '' } }, { username: 'admin' },
      { username: 'admin', password: 'x'.repeat(10_000) }, { username: "admin' OR '1'='1", password: "' OR 1=1 --" }, [], 'admin',
      { username: 'admin', password: ADMIN.password, extra: true },
    ];
    for (const b of bodies) {
      const r = await t.anon.post('/api/v1/auth/login').send(b as object);
      expect([JSON.stringify(b).slice(0, 40), r.status >= 400 && r.status < 500]).toEqual([JSON.stringify(b).slice(0, 40), true]);
    }
    const users = await t.http.post('/api/v1/users').send({ username: 'ok-user', displayName: 'x', password: 'long-password-1', roles: [{ role: 'root', orgUnitId: null }] });
    expect(users.status).toBe(400);
    const badId = await t.http.post('/api/v1/users').send({ username: 'ok-user', displayName: 'x', password: 'long-password-1', roles: [{ role: 'admin', orgUnitId: { $gt: '' } }] });
    expect(badId.status).toBe(400);
    expect((await t.http.get('/api/v1/audit?type[$ne]=x')).status).toBe(400);
  });
});

describe('sessions', () => {
  it('logout revokes the session server-side: the old cookie no longer works', async () => {
    const agent = await t.signIn(ADMIN.username, ADMIN.password);
    const me = await agent.get('/api/v1/auth/me');
    expect(me.status).toBe(200);
    expect((await agent.post('/api/v1/auth/logout').send({})).status).toBe(204);
    expect((await agent.get('/api/v1/auth/me')).status).toBe(401);
    expect((await t.http.get('/api/v1/auth/me')).status).toBe(200); // another session of the same user lives on
  });

  it('expires after the idle time and after the absolute time', async () => {
    clock += 29 * 60_000;
    expect((await t.http.get('/api/v1/auth/me')).status).toBe(200); // touches the session
    clock += 29 * 60_000;
    expect((await t.http.get('/api/v1/auth/me')).status).toBe(200);
    clock += 31 * 60_000;
    const idle = await t.http.get('/api/v1/auth/me');
    expect([idle.status, idle.body.error.code]).toEqual([401, 'SESSION_EXPIRED']);
    const fresh = await t.signIn(ADMIN.username, ADMIN.password);
    for (let i = 0; i < 4; i++) { clock += 25 * 60_000; expect((await fresh.get('/api/v1/auth/me')).status).toBe(200); }
    clock += 25 * 60_000; // 2 h 5 min after sign-in: over the absolute limit although never idle
    expect((await fresh.get('/api/v1/auth/me')).body.error.code).toBe('SESSION_EXPIRED');
  });

  it('a password change signs out every other session; an admin can revoke all sessions and disable a user', async () => {
    const alice = await t.userWith('alice', [{ role: 'analyst', orgUnitId: null }]);
    const alice2 = await t.signIn('alice', TEST_PASSWORD);
    const changed = await alice.post('/api/v1/auth/password').send({ currentPassword: TEST_PASSWORD, newPassword: 'a-new-password-2' });
    expect(changed.status).toBe(200);
    alice.set('X-CSRF-Token', changed.body.csrfToken);
    expect((await alice2.get('/api/v1/auth/me')).status).toBe(401);
    expect((await alice.get('/api/v1/auth/me')).status).toBe(200);
    expect((await t.anon.post('/api/v1/auth/login').send({ username: 'alice', password: TEST_PASSWORD })).status).toBe(401);
    const revoked = await t.http.post(`/api/v1/users/${alice.userId}/sessions/revoke`).send({});
    expect(revoked.body.revoked).toBe(1);
    expect((await alice.get('/api/v1/auth/me')).status).toBe(401);
    const again = await t.signIn('alice', 'a-new-password-2');
    await t.http.patch(`/api/v1/users/${alice.userId}`).send({ disabled: true });
    expect((await again.get('/api/v1/auth/me')).status).toBe(401);
    expect((await t.anon.post('/api/v1/auth/login').send({ username: 'alice', password: 'a-new-password-2' })).body.error.code).toBe('LOGIN_FAILED');
  });
});

describe('CSRF', () => {
  it('refuses a cookie-authenticated write without the token, or with a wrong one: 403 CSRF_FAILED; reads need none', async () => {
    const login = await t.anon.post('/api/v1/auth/login').send(ADMIN);
    const cookie = cookiesOf(login).map((c) => c.split(';')[0]).join('; ');
    // what a cross-site form post carries: the cookies, not the header
    const noHeader = await t.anon.post('/api/v1/org-units').set('Cookie', cookie).send({ code: 'X', name: { zh: 'x' }, level: 'county' });
    expect([noHeader.status, noHeader.body.error.code]).toEqual([403, 'CSRF_FAILED']);
    const wrong = await t.anon.post('/api/v1/org-units').set('Cookie', cookie).set('X-CSRF-Token', 'A'.repeat(43)).send({ code: 'X', name: { zh: 'x' }, level: 'county' });
    expect(wrong.body.error.code).toBe('CSRF_FAILED');
    // another session's token does not fit this session
    const other = await t.anon.post('/api/v1/auth/login').send(ADMIN);
    const mismatched = await t.anon.post('/api/v1/org-units').set('Cookie', cookie).set('X-CSRF-Token', other.body.csrfToken).send({ code: 'X', name: { zh: 'x' }, level: 'county' });
    expect(mismatched.body.error.code).toBe('CSRF_FAILED');
    expect(await t.storage.orgUnits.count()).toBe(0);
    expect((await t.anon.get('/api/v1/org-units').set('Cookie', cookie)).status).toBe(200);
    const ok = await t.anon.post('/api/v1/org-units').set('Cookie', cookie).set('X-CSRF-Token', login.body.csrfToken).send({ code: 'X', name: { zh: 'x' }, level: 'county' });
    expect(ok.status).toBe(201);
  });
});

describe('first start', () => {
  it('with no user, a one-time setup token creates the first admin, exactly once; no default password exists', async () => {
    const s = await makeTestApp();
    // a fresh store of its own, without the test admin
    const { openSqliteStorage } = await import('../../server/storage/sqlite');
    const { buildApp } = await import('../../server/app');
    const pino = (await import('pino')).default;
    const storage = openSqliteStorage({ file: `${s.dir}/fresh.db` });
    const built = buildApp({ config: { bodyLimit: '1mb', submissionBatchMax: 10, clientDist: `${s.dir}/none` }, storage, log: pino({ level: 'silent' }), passwordHashing: { memoryCost: 1024, timeCost: 1, parallelism: 1 } });
    const boot = await built.services.auth.bootstrap(null);
    expect(boot && 'setupToken' in boot).toBe(true);
    const token = (boot as { setupToken: string }).setupToken;
    expect(JSON.stringify(storage.db.prepare('SELECT * FROM setup_tokens').all())).not.toContain(token);
    const http = request(built.app);
    for (const u of ['admin', 'root', 'cunwen']) expect((await http.post('/api/v1/auth/login').send({ username: u, password: 'admin' })).status).toBe(401);
    const bad = await http.post('/api/v1/auth/setup').send({ token: 'x'.repeat(43), username: 'boss', displayName: '管理员', password: 'first-admin-pw' });
    expect([bad.status, bad.body.error.code]).toEqual([403, 'SETUP_TOKEN_INVALID']);
    const weak = await http.post('/api/v1/auth/setup').send({ token, username: 'boss', displayName: '管理员', password: 'short' });
    expect(weak.status).toBe(400);
    const ok = await http.post('/api/v1/auth/setup').send({ token, username: 'boss', displayName: '管理员', password: 'first-admin-pw' });
    expect(ok.status).toBe(201);
    expect(ok.body.user.roles).toEqual([{ role: 'admin', orgUnitId: null }]);
    const again = await http.post('/api/v1/auth/setup').send({ token, username: 'boss2', displayName: '管理员', password: 'first-admin-pw' });
    expect(again.body.error.code).toBe('SETUP_ALREADY_DONE');
    expect(await built.services.auth.bootstrap(null)).toBeNull();
    await storage.close();
    await s.close();
  });
});

describe('rate limits per user', () => {
  it('answers 429 RATE_LIMITED once a user has spent the bucket; another user is unaffected', async () => {
    const s = await makeTestApp({ now, security: { rateLimits: { user: { burst: 5, perMinute: 5 }, device: { burst: 5, perMinute: 5 }, login: { burst: 10, perMinute: 10 }, enrol: { burst: 5, perMinute: 5 } } } });
    const bob = await s.userWith('bob', [{ role: 'analyst', orgUnitId: null }]);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await bob.get('/api/v1/forms')).status);
    expect(statuses.slice(0, 5).every((x) => x === 200)).toBe(true);
    const limited = await bob.get('/api/v1/forms');
    expect([limited.status, limited.body.error.code]).toEqual([429, 'RATE_LIMITED']);
    const carol = await s.userWith('carol', [{ role: 'analyst', orgUnitId: null }]);
    expect((await carol.get('/api/v1/forms')).status).toBe(200);
    clock += 60_000;
    expect((await bob.get('/api/v1/forms')).status).toBe(200);
    await s.close();
  });
});
