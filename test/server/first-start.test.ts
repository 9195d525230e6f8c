import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../server/config';
import { start } from '../../server/main';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-start-'));
const base = (dir: string) => ({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, LOG_LEVEL: 'silent', LOAD_TEMPLATES: 'false', CLIENT_DIST: path.join(dir, 'none') });

describe('first start (server/main.ts)', () => {
  it('creates the admin from CUNWEN_ADMIN_* and a data key file under DATA_DIR; that admin can sign in', async () => {
    const dir = tmp();
    const running = await start(loadConfig({ ...base(dir), CUNWEN_ADMIN_USERNAME: 'Boss', CUNWEN_ADMIN_PASSWORD: 'boss-password-1' }));
    try {
      expect(fs.existsSync(path.join(dir, 'cunwen-data-key.json'))).toBe(true);
      const r = await fetch(new URL('/api/v1/auth/login', running.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'boss', password: 'boss-password-1' }) });
      expect(r.status).toBe(200);
      expect(r.headers.get('cache-control')).toBe('no-store');
    } finally {
      await running.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without them prints a one-time setup link (on stdout only) whose token creates the first admin', async () => {
    const dir = tmp();
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => { out.push(String(chunk)); return true; });
    let running;
    try {
      running = await start(loadConfig(base(dir)));
    } finally {
      spy.mockRestore();
    }
    try {
      const m = /setup#token=([A-Za-z0-9_-]{43})/.exec(out.join(''));
      expect(m).not.toBeNull();
      const setup = await fetch(new URL('/api/v1/auth/setup', running.url), {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: m![1], username: 'first', displayName: '第一位管理员', password: 'first-password-1' }),
      });
      expect(setup.status).toBe(201);
    } finally {
      await running.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('configuration', () => {
  it('parses the access settings and refuses half or weak admin settings and unknown review states', () => {
    const c = loadConfig({ COOKIE_SECURE: 'true', SESSION_IDLE_MINUTES: '15', COUNTED_REVIEW_STATES: 'approved', RATE_LIMIT_DEVICE_PER_MINUTE: '30', TRUST_PROXY: '1' });
    expect(c.security).toMatchObject({ cookieSecure: true, sessionIdleMinutes: 15, countedReviewStates: ['approved'], rateLimits: { device: { burst: 30, perMinute: 30 } } });
    expect(c.trustProxy).toBe(1);
    expect(c.admin).toBeNull();
    expect(loadConfig({}).security.countedReviewStates).toEqual(['received', 'has_issues', 'approved']);
    expect(() => loadConfig({ CUNWEN_ADMIN_USERNAME: 'a' })).toThrow(/go together/);
    expect(() => loadConfig({ CUNWEN_ADMIN_USERNAME: 'a', CUNWEN_ADMIN_PASSWORD: 'short' })).toThrow(/10 characters/);
    expect(() => loadConfig({ COUNTED_REVIEW_STATES: 'approved,nope' })).toThrow(/COUNTED_REVIEW_STATES/);
    expect(() => loadConfig({ COOKIE_SECURE: 'yes' })).toThrow(/COOKIE_SECURE/);
  });
});
