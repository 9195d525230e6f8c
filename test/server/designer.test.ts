import ExcelJS from 'exceljs';
import { QUIZ_DEFINITION, createPublishedQuiz, makeTestApp, type Agent, type TestApp } from '../support/app';
import { readXlsformWorkbook } from '../../server/xlsform/xlsx';
import { xlsformToSurvey } from '../../common/xlsform';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function makeXlsx(sheets: Record<string, ExcelJS.CellValue[][]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    rows.forEach((r, i) => { ws.getRow(i + 1).values = r as ExcelJS.CellValue[]; });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const HOUSEHOLD = {
  survey: [
    ['type', 'name', 'label::Chinese (zh)', 'label::English (en)', 'required', 'relevant', 'constraint', 'constraint_message'],
    ['integer', 'size', '家庭人口数', 'Household size', 'yes', '', '. > 0 and . < 30', '人数应在 1–29 之间'],
    ['select_one yn', 'has_kids', '有孩子吗', 'Any children?', 'yes'],
    ['integer', 'kids', '孩子数', 'Number of children', '', "${has_kids} = 'yes'"],
    ['begin_repeat', 'members', '家庭成员', 'Members'],
    ['text', 'mname', '姓名', 'Name'],
    ['end_repeat'],
    ['geopoint', 'where', '位置', 'Location'],
  ],
  choices: [
    ['list_name', 'name', 'label::Chinese (zh)', 'label::English (en)'],
    ['yn', 'yes', '是', 'Yes'],
    ['yn', 'no', '否', 'No'],
  ],
  settings: [['form_title', 'default_language'], ['家庭情况', 'Chinese (zh)']],
};

let t: TestApp;
let designer: Agent;
beforeEach(async () => {
  t = await makeTestApp();
  designer = await t.userWith('designer1', [{ role: 'designer', orgUnitId: null }]);
});
afterEach(async () => { await t.close(); });

describe('POST /api/v1/forms/import/xlsform', () => {
  it('translates an .xlsx (relevant, constraint, repeat, multilingual labels) and lists what it could not carry over with row numbers', async () => {
    const file = await makeXlsx(HOUSEHOLD);
    const r = await designer.post('/api/v1/forms/import/xlsform?kind=census').set('Content-Type', XLSX).send(file);
    expect(r.status).toBe(200);
    const els = r.body.definition.pages.flatMap((p: { elements: unknown[] }) => p.elements) as Array<Record<string, unknown>>;
    const kids = els.find((e) => e.name === 'kids');
    expect(kids?.visibleIf).toBe("{has_kids} = 'yes'");
    expect(els.find((e) => e.name === 'members')).toMatchObject({ type: 'paneldynamic' });
    expect(els.find((e) => e.name === 'size')?.title).toEqual(expect.objectContaining({ 'zh-cn': '家庭人口数' }));
    // geopoint has no SurveyJS counterpart: reported on its row (8), never silently dropped
    expect(r.body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ sheet: 'survey', row: 8, question: 'where' })]));
    expect(r.body.title).toMatchObject({ zh: '家庭情况' });
    expect(Array.isArray(r.body.definitionProblems)).toBe(true);
    // the route gives what the library gives
    const direct = xlsformToSurvey(await readXlsformWorkbook(file));
    expect(r.body.definition).toEqual(JSON.parse(JSON.stringify(direct.definition)));
  });

  it('accepts application/octet-stream; refuses JSON, empty bodies, non-xlsx files, files over the limit', async () => {
    const file = await makeXlsx(HOUSEHOLD);
    expect((await designer.post('/api/v1/forms/import/xlsform').set('Content-Type', 'application/octet-stream').send(file)).status).toBe(200);
    const json = await designer.post('/api/v1/forms/import/xlsform').send({ a: 1 });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const empty = await designer.post('/api/v1/forms/import/xlsform').set('Content-Type', XLSX);
    expect(empty.status).toBe(400);
    const junk = await designer.post('/api/v1/forms/import/xlsform').set('Content-Type', XLSX).send(Buffer.from('not a zip file at all'));
    expect(junk.status).toBe(422);
    expect(junk.body.error.code).toBe('XLSFORM_UNREADABLE');
    const noSurvey = await makeXlsx({ other: [['a'], ['b']] });
    const r2 = await designer.post('/api/v1/forms/import/xlsform').set('Content-Type', XLSX).send(noSurvey);
    expect(r2.body.error).toMatchObject({ code: 'XLSFORM_UNREADABLE', details: { zh: expect.stringContaining('survey') } });
    const huge = await designer.post('/api/v1/forms/import/xlsform').set('Content-Type', XLSX).send(Buffer.alloc(5 * 1024 * 1024 + 10, 1));
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('only designers and admins import; anonymous callers are refused before the body is read', async () => {
    const file = await makeXlsx(HOUSEHOLD);
    const analyst = await t.userWith('analyst1', [{ role: 'analyst', orgUnitId: null }]);
    expect((await analyst.post('/api/v1/forms/import/xlsform').set('Content-Type', XLSX).send(file)).status).toBe(403);
    expect((await t.anon.post('/api/v1/forms/import/xlsform').set('Content-Type', XLSX).send(file)).status).toBe(401);
    expect((await t.http.post('/api/v1/forms/import/xlsform').set('Content-Type', XLSX).send(file)).status).toBe(200);
  });
});

describe('GET /api/v1/forms/:formId/versions/:version/xlsform', () => {
  it('downloads a published version as an .xlsx that imports back to the same questions', async () => {
    const { formId } = await createPublishedQuiz(t.http);
    const r = await designer.get(`/api/v1/forms/${formId}/versions/1/xlsform`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    expect(r.headers['content-disposition']).toMatch(/attachment; filename="quiz-v1\.xlsx"/);
    expect(Number(r.headers['x-xlsform-problems'])).toBeGreaterThanOrEqual(0);
    const back = xlsformToSurvey(await readXlsformWorkbook(r.body as Buffer));
    const names = (d: Record<string, unknown>) => JSON.stringify(d).match(/"name":"q\d"/g);
    expect(names(back.definition)).toEqual(names(QUIZ_DEFINITION));
    expect((await designer.get(`/api/v1/forms/${formId}/versions/9/xlsform`)).status).toBe(404);
    expect((await t.anon.get(`/api/v1/forms/${formId}/versions/1/xlsform`)).status).toBe(401);
  });
});

describe('GET /api/v1/forms/:formId/diff', () => {
  it('compares the draft with the last published version and warns about a changed correct answer', async () => {
    const { formId } = await createPublishedQuiz(t.http);
    const draft = JSON.parse(JSON.stringify(QUIZ_DEFINITION)) as typeof QUIZ_DEFINITION;
    const q1 = draft.pages[0]?.elements[0] as Record<string, unknown>;
    q1.correctAnswer = '22';
    (draft.pages[0]?.elements as object[]).push({ type: 'comment', name: 'note', title: '建议' });
    expect((await designer.patch(`/api/v1/forms/${formId}`).send({ definition: draft })).status).toBe(200);
    const r = await designer.get(`/api/v1/forms/${formId}/diff`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ from: 1, to: 'draft', identical: false });
    expect(r.body.added.map((q: { name: string }) => q.name)).toEqual(['note']);
    expect(r.body.changed).toEqual([expect.objectContaining({ name: 'q1', aspects: ['correctAnswer'], before: { correctAnswer: '20', type: 'radiogroup' } })]);
    expect(r.body.warnings).toEqual([expect.objectContaining({ code: 'CORRECT_ANSWER_CHANGED', question: 'q1' })]);
    // publish, then compare versions explicitly
    expect((await designer.post(`/api/v1/forms/${formId}/publish`).send({})).status).toBe(201);
    const v = await designer.get(`/api/v1/forms/${formId}/diff?from=1&to=2`);
    expect(v.body).toMatchObject({ from: 1, to: 2 });
    expect(v.body.warnings.map((w: { code: string }) => w.code)).toEqual(['CORRECT_ANSWER_CHANGED']);
    const same = await designer.get(`/api/v1/forms/${formId}/diff?from=2&to=2`);
    expect(same.body.identical).toBe(true);
    expect((await designer.get(`/api/v1/forms/${formId}/diff?from=7`)).body.error.code).toBe('FORM_VERSION_NOT_FOUND');
    expect((await designer.get(`/api/v1/forms/${formId}/diff?from=abc`)).status).toBe(400);
  });

  it('a form never published diffs against nothing (every question added)', async () => {
    const c = await designer.post('/api/v1/forms').send({ slug: 'new-one', kind: 'general', title: { zh: '新' }, definition: { pages: [{ name: 'p', elements: [{ type: 'text', name: 'a' }] }] } });
    const r = await designer.get(`/api/v1/forms/${c.body.id}/diff`);
    expect(r.body).toMatchObject({ from: null, to: 'draft', warnings: [] });
    expect(r.body.added.map((q: { name: string }) => q.name)).toEqual(['a']);
  });
});

describe('OpenAPI', () => {
  it('describes the XLSForm import as an .xlsx body for designers', async () => {
    const doc = (await t.anon.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> }; 'x-access'?: unknown }>> };
    const op = doc.paths['/api/v1/forms/import/xlsform']?.post;
    expect(Object.keys(op?.requestBody?.content ?? {})).toEqual([XLSX]);
    expect(op?.['x-access']).toEqual({ kind: 'staff', roles: ['admin', 'designer'] });
    expect(doc.paths['/api/v1/forms/{formId}/diff']?.get).toBeDefined();
    expect(doc.paths['/api/v1/forms/{formId}/versions/{version}/xlsform']?.get).toBeDefined();
  });
});
