import { randomUUID } from 'node:crypto';
import { AppError } from '../../http/errors';
import { UniqueViolation, type OrgUnit, type OrgUnitGroup, type Storage } from '../../storage/port';
import { levelIndex, ORG_UNIT_LEVELS, type CreateOrgUnitInput, type OrgUnitLevel } from '../../../common/api/org-units';
import type { LocalizedText } from '../../../common/localized';
import { parseOrgUnitCsv } from './org-units.csv';

export interface OrgUnitServiceDeps {
  storage: Storage;
  now: () => Date;
  newId?: () => string;
}

/** A child sits exactly one level below its parent; only a county may be a root. */
function checkLevel(level: OrgUnitLevel, parent: OrgUnit | null): void {
  const ok = parent === null ? level === 'county' : levelIndex(level) === levelIndex(parent.level) + 1;
  if (!ok) {
    throw new AppError('ORG_UNIT_LEVEL_MISMATCH', { level, parentLevel: parent?.level ?? null, expected: parent ? ORG_UNIT_LEVELS[levelIndex(parent.level) + 1] ?? null : 'county' });
  }
}

export function makeOrgUnitService(deps: OrgUnitServiceDeps) {
  const { storage } = deps;
  const newId = deps.newId ?? (() => randomUUID());

  async function mustGet(id: string): Promise<OrgUnit> {
    const u = await storage.orgUnits.get(id);
    if (!u) throw new AppError('ORG_UNIT_NOT_FOUND', { id });
    return u;
  }

  async function create(input: CreateOrgUnitInput): Promise<OrgUnit> {
    const parent = input.parentId ? await storage.orgUnits.get(input.parentId) : null;
    if (input.parentId && !parent) throw new AppError('PARENT_NOT_FOUND', { parentId: input.parentId });
    checkLevel(input.level, parent);
    const id = newId();
    const at = deps.now().toISOString();
    const unit: OrgUnit = {
      id, code: input.code, name: input.name, level: input.level, parentId: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`, createdAt: at, updatedAt: at,
    };
    try {
      await storage.orgUnits.insert(unit);
    } catch (err) {
      if (err instanceof UniqueViolation) throw new AppError('DUPLICATE_CODE', { code: input.code });
      throw err;
    }
    return unit;
  }

  async function update(id: string, patch: { name?: LocalizedText; parentId?: string | null }): Promise<OrgUnit> {
    const unit = await mustGet(id);
    const at = deps.now().toISOString();
    if (patch.name) await storage.orgUnits.rename(id, patch.name, at);
    if (patch.parentId !== undefined && patch.parentId !== unit.parentId) {
      if (patch.parentId === null) throw new AppError('ORG_UNIT_LEVEL_MISMATCH', { level: unit.level, parentLevel: null, expected: unit.level === 'county' ? null : 'a parent' });
      const parent = await storage.orgUnits.get(patch.parentId);
      if (!parent) throw new AppError('PARENT_NOT_FOUND', { parentId: patch.parentId });
      if (parent.path.startsWith(unit.path)) throw new AppError('ORG_UNIT_CYCLE', { id, parentId: parent.id });
      checkLevel(unit.level, parent);
      await storage.orgUnits.move(id, parent.id, unit.path, `${parent.path}${id}/`, at);
    }
    return mustGet(id);
  }

  /**
   * CSV import (code, name, parent code [, level, name_en]): rows may come in any order; a row whose
   * code exists updates that unit's name (and parent, if it moved). All-or-nothing: any bad row
   * rejects the whole file with every problem listed.
   */
  async function importCsv(text: string): Promise<{ created: number; updated: number }> {
    const parsed = parseOrgUnitCsv(text);
    if (parsed.problems.length) throw new AppError('CSV_INVALID', { problems: parsed.problems });
    const existing = new Map((await storage.orgUnits.listAll()).map((u) => [u.code, u]));
    const rows = new Map(parsed.rows.map((r) => [r.code, r]));
    const problems: { line: number; message: string }[] = [];
    const resolved = new Map<string, OrgUnit>();
    const at = deps.now().toISOString();
    const visiting = new Set<string>();

    const resolve = (code: string): OrgUnit | null => {
      const done = resolved.get(code);
      if (done) return done;
      const row = rows.get(code);
      if (!row) return existing.get(code) ?? null;
      if (visiting.has(code)) { problems.push({ line: row.line, message: `cycle through ${code} / 上下级关系成环` }); return null; }
      visiting.add(code);
      const parent = row.parentCode ? resolve(row.parentCode) : null;
      visiting.delete(code);
      if (row.parentCode && !parent) { problems.push({ line: row.line, message: `unknown parent code ${row.parentCode} / 上级编码不存在` }); return null; }
      const prior = existing.get(code);
      const level: OrgUnitLevel | undefined = row.level ?? (parent ? ORG_UNIT_LEVELS[levelIndex(parent.level) + 1] : 'county');
      if (!level || (parent ? levelIndex(level) !== levelIndex(parent.level) + 1 : level !== 'county') || (prior && prior.level !== level)) {
        problems.push({ line: row.line, message: `level ${level ?? '?'} does not fit under ${parent?.level ?? 'the root'} / 层级不匹配` });
        return null;
      }
      const id = prior?.id ?? newId();
      if (prior && parent && parent.path.startsWith(prior.path)) { problems.push({ line: row.line, message: `cycle through ${code} / 上下级关系成环` }); return null; }
      const unit: OrgUnit = {
        id, code, name: row.name, level, parentId: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/`,
        createdAt: prior?.createdAt ?? at, updatedAt: at,
      };
      resolved.set(code, unit);
      return unit;
    };
    for (const code of rows.keys()) resolve(code);
    if (problems.length) throw new AppError('CSV_INVALID', { problems });

    // A moved existing unit drags its descendants along: rewrite their paths too.
    const updates = [...resolved.values()];
    const moved = updates.filter((u) => { const p = existing.get(u.code); return p && p.path !== u.path; });
    const all = [...existing.values()];
    for (const m of moved) {
      const oldPath = existing.get(m.code)!.path;
      for (const d of all) {
        if (d.path.startsWith(oldPath) && d.code !== m.code && !resolved.has(d.code)) {
          resolved.set(d.code, { ...d, path: m.path + d.path.slice(oldPath.length), updatedAt: at });
        }
      }
    }
    await storage.orgUnits.upsertMany([...resolved.values()].sort((a, b) => a.path.length - b.path.length));
    const created = updates.filter((u) => !existing.has(u.code)).length;
    return { created, updated: updates.length - created };
  }

  async function createGroup(input: { code: string; name: LocalizedText; memberIds: string[] }): Promise<OrgUnitGroup> {
    await checkMembers(input.memberIds);
    const group: OrgUnitGroup = { id: newId(), code: input.code, name: input.name, memberIds: [...new Set(input.memberIds)].sort() };
    try {
      await storage.orgUnitGroups.insert(group);
    } catch (err) {
      if (err instanceof UniqueViolation) throw new AppError('DUPLICATE_CODE', { code: input.code });
      throw err;
    }
    return group;
  }

  async function updateGroup(id: string, patch: { name?: LocalizedText; memberIds?: string[] }): Promise<OrgUnitGroup> {
    if (!(await storage.orgUnitGroups.get(id))) throw new AppError('ORG_UNIT_GROUP_NOT_FOUND', { id });
    if (patch.memberIds) await checkMembers(patch.memberIds);
    await storage.orgUnitGroups.update(id, { ...patch, memberIds: patch.memberIds ? [...new Set(patch.memberIds)] : undefined });
    return (await storage.orgUnitGroups.get(id))!;
  }

  async function checkMembers(ids: string[]): Promise<void> {
    const missing: string[] = [];
    for (const m of new Set(ids)) if (!(await storage.orgUnits.get(m))) missing.push(m);
    if (missing.length) throw new AppError('ORG_UNIT_NOT_FOUND', { ids: missing });
  }

  return {
    create,
    update,
    get: mustGet,
    async list(q: { root?: string; level?: OrgUnitLevel }): Promise<OrgUnit[]> {
      const units = q.root ? await storage.orgUnits.listSubtree((await mustGet(q.root)).path) : await storage.orgUnits.listAll();
      return q.level ? units.filter((u) => u.level === q.level) : units;
    },
    importCsv,
    createGroup,
    updateGroup,
    listGroups: () => storage.orgUnitGroups.list(),
  };
}

export type OrgUnitService = ReturnType<typeof makeOrgUnitService>;
