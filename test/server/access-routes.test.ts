/** Every route declares who may call it, and every non-public route refuses a caller without credentials. */
import { makeTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeAll(async () => { t = await makeTestApp(); });
afterAll(async () => { await t.close(); });

const concrete = (p: string) => p.replace(/:([A-Za-z]+)/g, (_m, name: string) => (name === 'version' ? '1' : '2b0d3c7e-8a53-4b52-9c38-1f1f3cfe0a11'));

describe('declared access rules', () => {
  it('every route has an access rule of a known kind; staff rules name at least one role; public ones say why', () => {
    expect(t.routes.length).toBeGreaterThan(20);
    for (const r of t.routes) {
      const where = `${r.method.toUpperCase()} ${r.path}`;
      expect([where, r.access?.kind]).toEqual([where, expect.stringMatching(/^(public|staff|device|staff-or-device)$/)]);
      if (r.access.kind === 'staff' || r.access.kind === 'staff-or-device') expect([where, r.access.roles.length > 0]).toEqual([where, true]);
      if (r.access.kind === 'public') expect([where, r.access.why.length > 10]).toEqual([where, true]);
    }
  });

  it('only the sign-in, setup, enrolment and API description routes are public', () => {
    const pub = t.routes.filter((r) => r.access.kind === 'public').map((r) => `${r.method} ${r.path}`).sort();
    expect(pub).toEqual(['get /openapi.json', 'post /auth/login', 'post /auth/setup', 'post /devices/enrol'].sort());
  });

  it('every non-public route answers 401 without credentials, with a bogus session and with a malformed bearer token', async () => {
    for (const r of t.routes.filter((x) => x.access.kind !== 'public')) {
      const url = `/api/v1${concrete(r.path)}`;
      const where = `${r.method.toUpperCase()} ${r.path}`;
      const expected = r.access.kind === 'device' ? 'DEVICE_UNAUTHORIZED' : 'UNAUTHENTICATED';
      const none = await t.anon[r.method](url).set('Content-Type', 'application/json').send(r.method === 'get' ? undefined : '{}');
      expect([where, none.status, none.body.error?.code]).toEqual([where, 401, expected]);
      const bogus = await t.anon[r.method](url).set('Cookie', 'cw_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
      expect([where, bogus.status]).toEqual([where, 401]);
      const malformed = await t.anon[r.method](url).set('Authorization', 'Bearer not a token');
      expect([where, malformed.status]).toEqual([where, 401]);
    }
  });

  it('a cookie value with injection characters is refused with 401, not a 500', async () => {
    for (const v of ["' OR 1=1 --", '%00', 'a'.repeat(5000), '{"$ne":null}']) {
      const r = await t.anon.get('/api/v1/auth/me').set('Cookie', `cw_session=${encodeURIComponent(v)}`);
      expect(r.status).toBe(401);
    }
  });
});

describe('OpenAPI', () => {
  it('describes how each route authenticates', async () => {
    const doc = (await t.anon.get('/api/v1/openapi.json')).body;
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['csrf', 'device', 'session']);
    expect(doc.paths['/api/v1/auth/login'].post.security).toEqual([]);
    expect(doc.paths['/api/v1/device/config'].get.security).toEqual([{ device: [] }]);
    expect(doc.paths['/api/v1/users'].get.security).toEqual([{ session: [], csrf: [] }]);
  });
});
