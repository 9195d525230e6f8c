import http from 'node:http';
import type { AddressInfo } from 'node:net';
import ExcelJS from 'exceljs';
import { makeTestApp, createOrgTree, type TestApp } from '../support/app';
import { censusAnswers, rng } from '../../server/demo/synthetic';
import { item, publishTemplate, quizAnswers, submit } from './reports.helpers';

jest.setTimeout(60_000);

const text = (raw: unknown, cb: (err: Error | null, body: string) => void) => {
  const res = raw as NodeJS.ReadableStream; // superagent hands the response stream to a custom parser
  let data = ''; res.setEncoding('utf8'); res.on('data', (c: string) => { data += c; }); res.on('end', () => cb(null, data));
};
const csvRows = (body: string) => body.replace(/^\ufeff/, '').trim().split('\r\n');

describe('census exports in three layouts, masked', () => {
  let t: TestApp;
  beforeEach(async () => { t = await makeTestApp({ batchMax: 100 }); });
  afterEach(async () => { await t.close(); });

  it('households, members and joined household × member rows (CSV and XLSX); personal data masked; census member counts roll up', async () => {
    const tree = await createOrgTree(t.http);
    const census = await publishTemplate(t.http, 'household-census');
    const r = rng(5);
    const households = [censusAnswers(r), censusAnswers(r)];
    const res = await submit(t.http, households.map((a) => item(census.formId, census.version, tree.v1.id, a)));
    expect(res.counts.stored).toBe(2);
    const members = households.reduce((n, h) => n + (h.members as unknown[]).length, 0);

    const hh = await t.http.get(`/api/v1/exports/census?layout=households&orgUnit=${tree.county.id}`).buffer(true).parse(text);
    expect(hh.status).toBe(200);
    const hhRows = csvRows(hh.body as string);
    expect(hhRows).toHaveLength(3);
    expect(hhRows[0]).toContain('户编码');
    expect(hhRows[0]).toContain('家庭成员数');

    const mem = await t.http.get(`/api/v1/exports/census?layout=members&orgUnit=${tree.county.id}`).buffer(true).parse(text);
    const memRows = csvRows(mem.body as string);
    expect(memRows).toHaveLength(1 + members);
    expect(memRows[0]).toContain('公民身份号码');
    const firstId = String((households[0]!.members as { national_id: string }[])[0]!.national_id);
    expect(mem.body as string).not.toContain(firstId); // never the clear ID number in an export
    expect(mem.body as string).toContain(`${firstId.slice(0, 3)}***`);

    const joined = await t.http.get(`/api/v1/exports/census?layout=joined&orgUnit=${tree.county.id}&format=xlsx`).buffer(true).parse((s, cb) => {
      const chunks: Buffer[] = []; s.on('data', (c: Buffer) => chunks.push(c)); s.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(joined.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(joined.body as never);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(1 + members);
    const header = (ws.getRow(1).values as unknown[]).map(String);
    expect(header).toEqual(expect.arrayContaining(['户编码', '序号 No.', '与户主关系']));
    // a member's relationship shows its label, not the code
    expect((ws.getRow(2).values as unknown[]).map(String)).toContain('户主');

    const bad = await t.http.get(`/api/v1/exports/census?layout=rooms&orgUnit=${tree.county.id}`);
    expect(bad.status).toBe(400);
    const notCensus = await t.http.get(`/api/v1/exports/census?layout=households&form=nope&orgUnit=${tree.county.id}`);
    expect(notCensus.status).toBe(404);

    // census member counts are rolled up for post-stratification (census:all)
    const pop = await t.storage.reports.rollups({ indicatorIds: ['census:all'], orgUnitIds: [tree.v1.id], periods: ['2026'] });
    expect(pop[0]).toMatchObject({ numerator: members, denominator: 2 });
  });
});

describe('live updates: server-sent events', () => {
  it('sends the version at once and a `changed` event after submissions arrive', async () => {
    const t = await makeTestApp();
    const server = http.createServer(t.app).listen(0, '127.0.0.1');
    try {
      await new Promise((r) => server.once('listening', r));
      const tree = await createOrgTree(t.http);
      const quiz = await publishTemplate(t.http, 'knowledge-quiz');
      const port = (server.address() as AddressInfo).port;
      // the agent's session cookie, sent by a plain http client that keeps the stream open
      const jar = (t.http as unknown as { jar: { getCookies(o: unknown): { toValueString(): string }[] } }).jar;
      const cookies = jar.getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false }).map((c) => c.toValueString()).join('; ');
      expect(cookies).not.toBe('');
      const events: { event: string; data: { version: number } }[] = [];
      let firstResolve: () => void = () => {};
      let secondResolve: () => void = () => {};
      const first = new Promise<void>((r) => { firstResolve = r; });
      const second = new Promise<void>((r) => { secondResolve = r; });
      const req = http.get({ host: '127.0.0.1', port, path: '/api/v1/reports/stream', headers: { cookie: cookies, accept: 'text/event-stream' } }, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toContain('text/event-stream');
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          buf += c;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i); buf = buf.slice(i + 2);
            const ev = /^event: (.+)$/m.exec(block)?.[1];
            const data = /^data: (.+)$/m.exec(block)?.[1];
            if (ev && data) events.push({ event: ev, data: JSON.parse(data) as { version: number } });
            if (events.length === 1) firstResolve();
            if (events.length === 2) secondResolve();
          }
        });
      });
      await first;
      await submit(t.http, [item(quiz.formId, quiz.version, tree.v1.id, quizAnswers(quiz.definition, 16))]);
      await second;
      req.destroy();
      expect(events[0]!.event).toBe('changed');
      expect(events[1]!.data.version).toBeGreaterThan(events[0]!.data.version);
    } finally {
      server.close();
      await t.close();
    }
  });
});
