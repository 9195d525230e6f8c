import type { Storage, Submission } from './storage/port';
import { makeOrgUnitService } from './modules/org-units/org-units.service';
import { makeRollupEngine } from './modules/reports/rollups';
import { contentHash } from './hash';
import { pick, quizAnswers, rng, satisfactionAnswers, uuid } from './demo/synthetic';

/** One example county, two townships, a few villages and groups — every name says 示例 / Example. */
export const EXAMPLE_ORG_UNITS_CSV = `code,name,name_en,parent_code,level
EX-C01,示例县,Example County,,county
EX-T01,示例县·东山镇,Example Dongshan Town,EX-C01,township
EX-T02,示例县·西河乡,Example Xihe Township,EX-C01,township
EX-V0101,东山镇·桃园村(示例),Taoyuan Village (example),EX-T01,village
EX-V0102,东山镇·李家村(示例),Lijia Village (example),EX-T01,village
EX-V0103,东山镇·石桥村(示例),Shiqiao Village (example),EX-T01,village
EX-V0201,西河乡·河口村(示例),Hekou Village (example),EX-T02,village
EX-V0202,西河乡·柳树村(示例),Liushu Village (example),EX-T02,village
EX-G010101,桃园村一组(示例),Taoyuan Group 1 (example),EX-V0101,group
EX-G010102,桃园村二组(示例),Taoyuan Group 2 (example),EX-V0101,group
EX-G010201,李家村一组(示例),Lijia Group 1 (example),EX-V0102,group
EX-G010301,石桥村一组(示例),Shiqiao Group 1 (example),EX-V0103,group
EX-G020101,河口村一组(示例),Hekou Group 1 (example),EX-V0201,group
EX-G020102,河口村二组(示例),Hekou Group 2 (example),EX-V0201,group
EX-G020201,柳树村一组(示例),Liushu Group 1 (example),EX-V0202,group
`;

/** Idempotent: an existing example tree is updated in place, never duplicated. */
export async function seedExampleOrgUnits(storage: Storage, now: () => Date = () => new Date()): Promise<void> {
  const svc = makeOrgUnitService({ storage, now });
  await svc.importCsv(EXAMPLE_ORG_UNITS_CSV);
  const groups = await storage.orgUnitGroups.list();
  if (!groups.some((g) => g.code === 'EX-TIER1')) {
    const v = (code: string) => storage.orgUnits.getByCode(code);
    const tier1 = [await v('EX-V0101'), await v('EX-V0201')].filter((u) => u !== null).map((u) => u.id);
    const tier2 = [await v('EX-V0102'), await v('EX-V0103'), await v('EX-V0202')].filter((u) => u !== null).map((u) => u.id);
    await svc.createGroup({ code: 'EX-TIER1', name: { zh: '一类村(示例)', en: 'Tier 1 villages (example)' }, memberIds: tier1 });
    await svc.createGroup({ code: 'EX-TIER2', name: { zh: '二类村(示例)', en: 'Tier 2 villages (example)' }, memberIds: tier2 });
  }
}

/**
 * Example villages' survey profile: how well villagers know the messages (chance of a correct
 * answer per question), how satisfied they are (mean rating) and how many answer per month —
 * chosen so that every dashboard state is visible: clearly above target, clearly below, and too
 * few respondents to tell.
 */
export const EXAMPLE_SURVEY_PROFILES: Record<string, { skill: number; satisfaction: number; perMonth: number; note: string }> = {
  'EX-V0101': { skill: 0.985, satisfaction: 4.8, perMonth: 28, note: '明显达标 clearly above target' },
  'EX-V0102': { skill: 0.84, satisfaction: 3.6, perMonth: 20, note: '明显未达标 clearly below target' },
  'EX-V0103': { skill: 0.97, satisfaction: 4.6, perMonth: 1, note: '样本太少 too few respondents' },
  'EX-V0201': { skill: 0.93, satisfaction: 4.3, perMonth: 14, note: '接近目标 near the target' },
  'EX-V0202': { skill: 0.975, satisfaction: 4.6, perMonth: 10, note: '较好 good' },
};

/**
 * A few thousand synthetic quiz and satisfaction submissions over the example villages (through
 * the storage port with scoring and rollups, as ingestion does), from January of last year to
 * now. Idempotent: nothing happens when the quiz already has submissions. Returns how many were added.
 */
export async function seedExampleSubmissions(storage: Storage, now: () => Date = () => new Date(), seed = 20260301): Promise<number> {
  const quiz = await storage.forms.getBySlug('knowledge-quiz');
  const sat = await storage.forms.getBySlug('satisfaction-survey');
  if (!quiz?.latestVersion || !sat?.latestVersion) return 0;
  if ((await storage.submissions.count({ formId: quiz.id })) > 0) return 0;
  const [qv, sv] = await Promise.all([storage.forms.getVersion(quiz.id, quiz.latestVersion), storage.forms.getVersion(sat.id, sat.latestVersion)]);
  if (!qv || !sv) return 0;
  const engine = makeRollupEngine({ storage, now });
  const r = rng(seed);
  const end = now().getTime();
  const startYear = now().getUTCFullYear() - 1;
  const all = await storage.orgUnits.listAll();
  let added = 0;
  const suggestions = ['希望多开展健康讲座', '办事窗口能否周末开放', '宣传资料字太小,老人看不清', '服务态度很好,谢谢', '希望医生定期入户随访'];
  for (const [code, profile] of Object.entries(EXAMPLE_SURVEY_PROFILES)) {
    const village = all.find((u) => u.code === code);
    if (!village) continue;
    const groups = all.filter((u) => u.parentId === village.id);
    const places = groups.length ? groups : [village];
    const batch: Submission[] = [];
    for (let m = 0; ; m++) {
      const monthStart = Date.UTC(startYear, m, 1) - 8 * 3600_000;
      if (monthStart > end) break;
      const n = Math.max(0, Math.round(profile.perMonth * (0.7 + 0.6 * r())));
      for (let i = 0; i < n * 2; i++) {
        const isQuiz = i % 2 === 0;
        const completed = Math.min(end - 60_000, monthStart + Math.floor(r() * 28 * 86400_000));
        const place = pick(r, places);
        const answers = isQuiz
          ? quizAnswers(qv.definition as Record<string, unknown>, r, profile.skill)
          : satisfactionAnswers(sv.definition as Record<string, unknown>, r, profile.satisfaction);
        if (!isQuiz) { if (r() < 0.08) answers.suggestion = pick(r, suggestions); else delete answers.suggestion; }
        const formId = isQuiz ? quiz.id : sat.id;
        const formVersion = isQuiz ? qv.version : sv.version;
        const startedAt = new Date(completed - 300_000).toISOString();
        const completedAt = new Date(completed).toISOString();
        batch.push({
          id: uuid(r), formId, formVersion, orgUnitId: place.id, orgUnitPath: place.path, answers,
          contentHash: contentHash({ formId, formVersion, orgUnit: place.id, answers, startedAt, completedAt }),
          startedAt, completedAt, receivedAt: completedAt, deviceId: null, reviewState: 'received',
        });
      }
    }
    for (let i = 0; i < batch.length; i += 200) {
      const chunk = batch.slice(i, i + 200);
      const outcomes = await storage.submissions.insertMany(chunk, await engine.prepare(chunk));
      added += outcomes.filter((o) => o === 'stored').length;
    }
    // the work plan too: information reports sent this month (≥ 1), households visited / on the roster
    const month = new Date(end + 8 * 3600_000).toISOString().slice(0, 7);
    const at = now().toISOString();
    await storage.reports.putWorkPlan({ orgUnitId: village.id, period: month, key: 'reports_sent', name: { zh: '本月上报信息(份)', en: 'Information reports sent this month' }, value: code === 'EX-V0102' ? 0 : 1 + Math.floor(r() * 3), denominator: null, target: { op: '>=', value: 1 }, updatedAt: at });
    const roster = 80 + Math.floor(r() * 120);
    await storage.reports.putWorkPlan({ orgUnitId: village.id, period: month, key: 'households_visited', name: { zh: '入户走访(户)/在册户数', en: 'Households visited / on the roster' }, value: Math.floor(roster * (0.6 + 0.4 * r())), denominator: roster, target: { op: '>=', value: 0.9 }, updatedAt: at });
  }
  return added;
}
