import type { Db } from './database';
import { isUniqueViolation } from './database';
import { UniqueViolation, type OrgUnit, type OrgUnitGroup, type OrgUnitGroupRepository, type OrgUnitRepository } from '../port';
import { localized, orgUnitFromRow, type OrgUnitRow } from './rows';
import type { LocalizedText } from '../../../common/localized';

function orgUnitParams(u: OrgUnit) {
  return {
    id: u.id, code: u.code, name_zh: u.name.zh, name_en: u.name.en ?? null, level: u.level,
    parent_id: u.parentId, path: u.path, created_at: u.createdAt, updated_at: u.updatedAt,
  };
}

export function sqliteOrgUnits(db: Db): OrgUnitRepository {
  const insert = db.prepare(`INSERT INTO org_units (id, code, name_zh, name_en, level, parent_id, path, created_at, updated_at)
    VALUES (@id, @code, @name_zh, @name_en, @level, @parent_id, @path, @created_at, @updated_at)`);
  const upsert = db.prepare(`INSERT INTO org_units (id, code, name_zh, name_en, level, parent_id, path, created_at, updated_at)
    VALUES (@id, @code, @name_zh, @name_en, @level, @parent_id, @path, @created_at, @updated_at)
    ON CONFLICT(id) DO UPDATE SET code = excluded.code, name_zh = excluded.name_zh, name_en = excluded.name_en,
      level = excluded.level, parent_id = excluded.parent_id, path = excluded.path, updated_at = excluded.updated_at`);
  const byId = db.prepare('SELECT * FROM org_units WHERE id = ?');
  const byCode = db.prepare('SELECT * FROM org_units WHERE code = ?');
  // substr() rather than LIKE: codes and ids may contain "_" which LIKE treats as a wildcard.
  const subtree = db.prepare('SELECT * FROM org_units WHERE substr(path, 1, length(@prefix)) = @prefix ORDER BY path');
  const all = db.prepare('SELECT * FROM org_units ORDER BY path');
  const children = db.prepare('SELECT COUNT(*) AS n FROM org_units WHERE parent_id = ?');
  const rename = db.prepare('UPDATE org_units SET name_zh = ?, name_en = ?, updated_at = ? WHERE id = ?');
  const setParent = db.prepare('UPDATE org_units SET parent_id = ?, updated_at = ? WHERE id = ?');
  const rewritePaths = db.prepare(`UPDATE org_units SET path = @newPath || substr(path, length(@oldPath) + 1)
    WHERE substr(path, 1, length(@oldPath)) = @oldPath`);
  const rewriteSubmissionPaths = db.prepare(`UPDATE submissions SET org_unit_path = @newPath || substr(org_unit_path, length(@oldPath) + 1)
    WHERE substr(org_unit_path, 1, length(@oldPath)) = @oldPath`);
  const count = db.prepare('SELECT COUNT(*) AS n FROM org_units');

  const wrap = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      if (isUniqueViolation(err)) throw new UniqueViolation('org_unit.code');
      throw err;
    }
  };

  return {
    async insert(unit) { wrap(() => insert.run(orgUnitParams(unit))); },
    async get(id) { const r = byId.get(id) as OrgUnitRow | undefined; return r ? orgUnitFromRow(r) : null; },
    async getByCode(code) { const r = byCode.get(code) as OrgUnitRow | undefined; return r ? orgUnitFromRow(r) : null; },
    async listSubtree(prefix) { return (subtree.all({ prefix }) as OrgUnitRow[]).map(orgUnitFromRow); },
    async listAll() { return (all.all() as OrgUnitRow[]).map(orgUnitFromRow); },
    async countChildren(id) { return (children.get(id) as { n: number }).n; },
    async rename(id, name: LocalizedText, updatedAt) { rename.run(name.zh, name.en ?? null, updatedAt, id); },
    async move(id, newParentId, oldPath, newPath, updatedAt) {
      db.transaction(() => {
        setParent.run(newParentId, updatedAt, id);
        rewritePaths.run({ oldPath, newPath });
        // Submissions keep the path of where their org unit sits now, so subtree reports follow the move.
        rewriteSubmissionPaths.run({ oldPath, newPath });
      })();
    },
    async upsertMany(units) {
      wrap(() => db.transaction(() => { for (const u of units) upsert.run(orgUnitParams(u)); })());
    },
    async count() { return (count.get() as { n: number }).n; },
  };
}

interface GroupRow { id: string; code: string; name_zh: string; name_en: string | null }

export function sqliteOrgUnitGroups(db: Db): OrgUnitGroupRepository {
  const insert = db.prepare('INSERT INTO org_unit_groups (id, code, name_zh, name_en) VALUES (?, ?, ?, ?)');
  const insertMember = db.prepare('INSERT OR IGNORE INTO org_unit_group_members (group_id, org_unit_id) VALUES (?, ?)');
  const clearMembers = db.prepare('DELETE FROM org_unit_group_members WHERE group_id = ?');
  const byId = db.prepare('SELECT * FROM org_unit_groups WHERE id = ?');
  const list = db.prepare('SELECT * FROM org_unit_groups ORDER BY code');
  const members = db.prepare('SELECT org_unit_id FROM org_unit_group_members WHERE group_id = ? ORDER BY org_unit_id');
  const rename = db.prepare('UPDATE org_unit_groups SET name_zh = ?, name_en = ? WHERE id = ?');
  const groupsOf = db.prepare(`SELECT g.* FROM org_unit_groups g JOIN org_unit_group_members m ON m.group_id = g.id
    WHERE m.org_unit_id = ? ORDER BY g.code`);

  const toGroup = (r: GroupRow): OrgUnitGroup => ({
    id: r.id, code: r.code, name: localized(r.name_zh, r.name_en),
    memberIds: (members.all(r.id) as { org_unit_id: string }[]).map((m) => m.org_unit_id),
  });

  return {
    async insert(g) {
      try {
        db.transaction(() => {
          insert.run(g.id, g.code, g.name.zh, g.name.en ?? null);
          for (const m of g.memberIds) insertMember.run(g.id, m);
        })();
      } catch (err) {
        if (isUniqueViolation(err)) throw new UniqueViolation('org_unit_group.code');
        throw err;
      }
    },
    async get(id) { const r = byId.get(id) as GroupRow | undefined; return r ? toGroup(r) : null; },
    async list() { return (list.all() as GroupRow[]).map(toGroup); },
    async update(id, patch) {
      db.transaction(() => {
        if (patch.name) rename.run(patch.name.zh, patch.name.en ?? null, id);
        if (patch.memberIds) {
          clearMembers.run(id);
          for (const m of patch.memberIds) insertMember.run(id, m);
        }
      })();
    },
    async groupsOf(orgUnitId) { return (groupsOf.all(orgUnitId) as GroupRow[]).map(toGroup); },
  };
}
