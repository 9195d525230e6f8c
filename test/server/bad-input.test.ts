import { createOrgTree, createPublishedQuiz, makeTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeEach(async () => { t = await makeTestApp({ bodyLimit: '10kb' }); });
afterEach(async () => { await t.close(); });

/** Every hostile or broken request gets a 4xx with a stable code — never a 5xx, never a stored half-record. */
describe('bad input', () => {
  const expectError = (res: { status: number; body: { error?: { code?: string; message?: string } } }, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.body.error?.code).toBe(code);
    expect(res.body.error?.message).toMatch(/ \/ /); // zh / en
  };

  it('malformed JSON → 400 MALFORMED_JSON', async () => {
    const r = await t.http.post('/api/v1/org-units').set('Content-Type', 'application/json').send('{"code": "A",');
    expectError(r, 400, 'MALFORMED_JSON');
  });

  it('a non-JSON content type → 415', async () => {
    const r = await t.http.post('/api/v1/org-units').set('Content-Type', 'text/plain').send('code=A');
    expectError(r, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('an oversized body → 413 PAYLOAD_TOO_LARGE', async () => {
    const r = await t.http.post('/api/v1/submissions').send({ submissions: [{ pad: 'x'.repeat(20_000) }] });
    expectError(r, 413, 'PAYLOAD_TOO_LARGE');
  });

  it('wrong types and unknown fields → 400 VALIDATION_FAILED with the path', async () => {
    const r = await t.http.post('/api/v1/org-units').send({ code: 12, name: 'x', level: 'planet', extra: true });
    expectError(r, 400, 'VALIDATION_FAILED');
    const paths = r.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['code', 'name', 'level']));
    expectError(await t.http.post('/api/v1/submissions').send([]), 400, 'VALIDATION_FAILED');
    expectError(await t.http.post('/api/v1/submissions').send({ submissions: [] }), 400, 'VALIDATION_FAILED');
  });

  it('operator injection where a string belongs → 4xx, nothing stored', async () => {
    const { g1 } = await createOrgTree(t.http);
    const { formId } = await createPublishedQuiz(t.http);
    expectError(await t.http.post('/api/v1/org-units').send({ code: { $gt: '' }, name: { zh: 'x' }, level: 'county' }), 400, 'VALIDATION_FAILED');
    expectError(await t.http.get('/api/v1/org-units?root[$gt]='), 400, 'VALIDATION_FAILED');
    expectError(await t.http.get('/api/v1/forms?kind[$ne]=x'), 400, 'VALIDATION_FAILED');
    const r = await t.http.post('/api/v1/submissions').send({
      submissions: [
        { id: { $gt: '' }, formId, formVersion: 1, orgUnit: g1.id, answers: {}, startedAt: '2026-03-01T00:00:00Z', completedAt: '2026-03-01T00:00:00Z' },
        { id: '2b0d3c7e-8a53-4b52-9c38-1f1f3cfe0a11', formId: { $ne: null }, formVersion: 1, orgUnit: g1.id, answers: {}, startedAt: '2026-03-01T00:00:00Z', completedAt: '2026-03-01T00:00:00Z' },
        { id: '2b0d3c7e-8a53-4b52-9c38-1f1f3cfe0a12', formId, formVersion: 1, orgUnit: g1.id, answers: { q1: { $gt: '' }, q2: 'yes' }, startedAt: '2026-03-01T00:00:00Z', completedAt: '2026-03-01T00:00:00Z' },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { status: string }) => x.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await t.storage.submissions.count({})).toBe(0);
  });

  it('unknown ids and routes → 404 with codes', async () => {
    expectError(await t.http.get('/api/v1/forms/does-not-exist'), 404, 'FORM_NOT_FOUND');
    expectError(await t.http.get('/api/v1/org-units/does-not-exist'), 404, 'ORG_UNIT_NOT_FOUND');
    expectError(await t.http.get('/api/v1/nothing-here'), 404, 'ROUTE_NOT_FOUND');
    expectError(await t.http.delete('/api/v1/forms'), 404, 'ROUTE_NOT_FOUND');
    expectError(await t.http.get('/api/v1/forms/bad%20id!'), 400, 'VALIDATION_FAILED');
  });

  it('a prototype-pollution body does not pollute and is refused', async () => {
    const r = await t.http.post('/api/v1/org-units').set('Content-Type', 'application/json').send('{"__proto__": {"polluted": true}, "code": "A", "name": {"zh": "a"}, "level": "county"}');
    expect(r.status).toBeLessThan(500);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('meta endpoints', () => {
  it('healthz and readyz answer; readyz says 503 when storage is gone', async () => {
    expect((await t.http.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.http.get('/readyz')).body).toEqual({ status: 'ready', storage: 'sqlite' });
    await t.storage.close();
    const r = await t.http.get('/readyz');
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('STORAGE_UNAVAILABLE');
  });

  it('serves an OpenAPI document generated from the route schemas', async () => {
    const r = await t.http.get('/api/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    const post = r.body.paths['/api/v1/submissions'].post;
    expect(post.requestBody.content['application/json'].schema.properties.submissions).toBeDefined();
    expect(r.body.paths['/api/v1/forms/{formId}/versions/{version}'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['formId', 'version']);
    for (const route of t.routes) {
      expect(r.body.paths[`/api/v1${route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`][route.method]).toBeDefined();
    }
  });

  it('sends helmet security headers with a strict CSP', async () => {
    const r = await t.http.get('/healthz');
    expect(r.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-powered-by']).toBeUndefined();
  });
});

describe('transport', () => {
  it('gzips JSON responses for clients that accept it', async () => {
    const t2 = await makeTestApp();
    try {
      const r = await t2.http.get('/api/v1/openapi.json').set('Accept-Encoding', 'gzip');
      expect(r.status).toBe(200);
      expect(r.headers['content-encoding']).toBe('gzip');
    } finally {
      await t2.close();
    }
  });
});
