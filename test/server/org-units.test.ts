import { createOrgTree, makeTestApp, type TestApp } from '../support/app';

let t: TestApp;
beforeEach(async () => { t = await makeTestApp(); });
afterEach(async () => { await t.close(); });

describe('org units API', () => {
  it('creates a county → township → village → group tree with paths', async () => {
    const { county, t1, v1, g1 } = await createOrgTree(t.http);
    expect(g1.path).toBe(`/${county.id}/${t1.id}/${v1.id}/${g1.id}/`);
    const sub = await t.http.get(`/api/v1/org-units?root=${t1.id}`);
    expect(sub.status).toBe(200);
    expect(sub.body.map((u: { code: string }) => u.code)).toEqual(['T1', 'V1', 'G1']);
    const villages = await t.http.get('/api/v1/org-units?level=village');
    expect(villages.body.map((u: { code: string }) => u.code).sort()).toEqual(['V1', 'V2']);
  });

  it('refuses unknown parents, wrong levels and duplicate codes with stable codes', async () => {
    const { county, v1 } = await createOrgTree(t.http);
    const unknown = await t.http.post('/api/v1/org-units').send({ code: 'X', name: { zh: 'X' }, level: 'township', parentId: 'nope' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe('PARENT_NOT_FOUND');
    const level = await t.http.post('/api/v1/org-units').send({ code: 'X', name: { zh: 'X' }, level: 'village', parentId: county.id });
    expect(level.body.error.code).toBe('ORG_UNIT_LEVEL_MISMATCH');
    const rootVillage = await t.http.post('/api/v1/org-units').send({ code: 'X', name: { zh: 'X' }, level: 'village' });
    expect(rootVillage.body.error.code).toBe('ORG_UNIT_LEVEL_MISMATCH');
    const dup = await t.http.post('/api/v1/org-units').send({ code: 'G1', name: { zh: 'X' }, level: 'group', parentId: v1.id });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('DUPLICATE_CODE');
    expect(dup.body.error.message).toMatch(/编码已存在.*code is already/);
  });

  it('renames, moves a village with its groups, and refuses cycles', async () => {
    const { county, t1, t2, v1, g1 } = await createOrgTree(t.http);
    const renamed = await t.http.patch(`/api/v1/org-units/${v1.id}`).send({ name: { zh: '新村', en: 'New village' } });
    expect(renamed.body.name).toEqual({ zh: '新村', en: 'New village' });
    const moved = await t.http.patch(`/api/v1/org-units/${v1.id}`).send({ parentId: t2.id });
    expect(moved.status).toBe(200);
    expect(moved.body.path).toBe(`/${county.id}/${t2.id}/${v1.id}/`);
    const group = await t.http.get(`/api/v1/org-units/${g1.id}`);
    expect(group.body.path).toBe(`/${county.id}/${t2.id}/${v1.id}/${g1.id}/`);
    const cycle = await t.http.patch(`/api/v1/org-units/${t1.id}`).send({ parentId: t1.id });
    expect(cycle.status).toBe(409);
    expect(cycle.body.error.code).toBe('ORG_UNIT_CYCLE');
    const cycle2 = await t.http.patch(`/api/v1/org-units/${county.id}`).send({ parentId: g1.id });
    expect(cycle2.body.error.code).toBe('ORG_UNIT_CYCLE');
    const unknown = await t.http.patch('/api/v1/org-units/nope').send({ name: { zh: 'x' } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('ORG_UNIT_NOT_FOUND');
  });

  it('imports a CSV in any row order, with Chinese headers and a BOM, and updates on re-import', async () => {
    const csv = '\ufeff编码,名称,上级编码\r\nV9,九村,T9\r\nC9,九县,\r\nT9,"九镇, 东",C9\r\nG9,九组,V9\r\n';
    const r = await t.http.post('/api/v1/org-units/import').set('Content-Type', 'text/csv').send(csv);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ created: 4, updated: 0 });
    const all = await t.http.get('/api/v1/org-units');
    const byCode = Object.fromEntries(all.body.map((u: { code: string }) => [u.code, u]));
    expect(byCode.T9.name.zh).toBe('九镇, 东');
    expect(byCode.G9.level).toBe('group');
    expect(byCode.G9.path.startsWith(byCode.C9.path)).toBe(true);
    const again = await t.http.post('/api/v1/org-units/import').set('Content-Type', 'text/csv').send('code,name,parent_code\nV9,九村(改),T9\n');
    expect(again.body).toEqual({ created: 0, updated: 1 });
    expect((await t.http.get(`/api/v1/org-units/${byCode.V9.id}`)).body.name.zh).toBe('九村(改)');
  });

  it('rejects a bad CSV as a whole, listing every bad line, and writes nothing', async () => {
    const csv = 'code,name,parent_code\nC9,九县,\nT9,,C9\nV9,九村,NOPE\nbad code!,x,\n';
    const r = await t.http.post('/api/v1/org-units/import').set('Content-Type', 'text/csv').send(csv);
    expect(r.status).toBe(422);
    expect(r.body.error.code).toBe('CSV_INVALID');
    expect(r.body.error.details.problems.map((p: { line: number }) => p.line).sort()).toEqual([3, 5]);
    expect((await t.http.get('/api/v1/org-units')).body).toEqual([]);
    const cyc = await t.http.post('/api/v1/org-units/import').set('Content-Type', 'text/csv').send('code,name,parent_code\nA,a,B\nB,b,A\n');
    expect(cyc.body.error.code).toBe('CSV_INVALID');
  });

  it('manages org unit groups (village tiers)', async () => {
    const { v1, v2 } = await createOrgTree(t.http);
    const g = await t.http.post('/api/v1/org-unit-groups').send({ code: 'TIER1', name: { zh: '一类村' }, memberIds: [v1.id] });
    expect(g.status).toBe(201);
    const bad = await t.http.post('/api/v1/org-unit-groups').send({ code: 'TIER2', name: { zh: '二类村' }, memberIds: ['nope'] });
    expect(bad.body.error.code).toBe('ORG_UNIT_NOT_FOUND');
    const upd = await t.http.patch(`/api/v1/org-unit-groups/${g.body.id}`).send({ memberIds: [v1.id, v2.id] });
    expect(upd.body.memberIds.sort()).toEqual([v1.id, v2.id].sort());
    expect((await t.http.get('/api/v1/org-unit-groups')).body).toHaveLength(1);
  });
});
