import type { Storage } from './storage/port';
import { makeOrgUnitService } from './modules/org-units/org-units.service';

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
