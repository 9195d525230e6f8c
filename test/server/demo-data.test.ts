import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { openSqliteStorage, type SqliteStorage } from '../../server/storage/sqlite';
import { loadTemplatesIntoEmptyStore } from '../../server/seed';
import { seedExampleOrgUnits, seedExampleSubmissions } from '../../server/demo-data';
import { makeRollupEngine } from '../../server/modules/reports/rollups';
import { makeReportService } from '../../server/modules/reports/reports.service';
import { compileAnswerValidator } from '../../common/forms/compiled-validator';

jest.setTimeout(120_000);

describe('demo data: synthetic quiz and satisfaction submissions', () => {
  let dir: string;
  let storage: SqliteStorage;
  const now = () => new Date('2026-11-20T04:00:00.000Z');
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cunwen-demo-'));
    storage = openSqliteStorage({ dataDir: dir });
    await loadTemplatesIntoEmptyStore(storage, pino({ level: 'silent' }), now);
    await seedExampleOrgUnits(storage, now);
  });
  afterAll(async () => { await storage.close(); fs.rmSync(dir, { recursive: true, force: true }); });

  it('adds a few thousand valid submissions once, with every dashboard state visible', async () => {
    const n = await seedExampleSubmissions(storage, now);
    expect(n).toBeGreaterThan(2000);
    expect(n).toBeLessThan(10_000);
    expect(await seedExampleSubmissions(storage, now)).toBe(0);
    // the generated answers pass the real validator
    const quiz = (await storage.forms.getBySlug('knowledge-quiz'))!;
    const v = (await storage.forms.getVersion(quiz.id, quiz.latestVersion!))!;
    const validator = compileAnswerValidator(v.definition);
    const page = await storage.submissions.list({ formId: quiz.id }, null, 200);
    for (const s of page.items) expect(validator.validate(s.answers)).toEqual([]);

    const engine = makeRollupEngine({ storage, now });
    const reports = makeReportService({ storage, now, engine });
    const status = async (code: string, period: string) => {
      const unit = (await storage.orgUnits.getByCode(code))!;
      const d = await reports.dashboard(unit.id, period);
      return d.indicators.find((c) => c.id === 'awareness')!.cell;
    };
    expect((await status('EX-V0101', '2025')).statistical).toBe('met');
    expect((await status('EX-V0102', '2025')).statistical).toBe('not_met');
    const few = await status('EX-V0103', '2025');
    expect(few.statistical).toBe('inconclusive');
    expect(few.denominator).toBeLessThan(30);
    const county = (await storage.orgUnits.getByCode('EX-C01'))!;
    const d = await reports.dashboard(county.id, '2026');
    expect(d.indicators.find((c) => c.id === 'satisfaction')!.cell.denominator).toBeGreaterThan(500);
    expect(d.indicators[0]!.children).toHaveLength(2);
  });
});
