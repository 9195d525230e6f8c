/** Org units and org-unit groups on MongoDB. */
import mongoose from 'mongoose';
import type { LocalizedText } from '../../../common/localized';
import { UniqueViolation, type OrgUnit, type OrgUnitGroup, type OrgUnitGroupRepository, type OrgUnitRepository } from '../port';
import { rethrowUnique } from './errors';
import { fromOrgUnit, prefixRegex, text, toGroup, toOrgUnit } from './mappers';
import type { Models, OrgUnitDoc, OrgUnitGroupDoc } from './models';

// A duplicate _id maps to the same field as SQLite's PRIMARY KEY violation does (parity with the contract).
const UNIT_KEYS = { code: 'org_unit.code', _id: 'org_unit.code' } as const;
const GROUP_KEYS = { code: 'org_unit_group.code', _id: 'org_unit_group.code' } as const;

export function makeOrgUnitRepository(m: Models): OrgUnitRepository {
  const units = m.orgUnits;
  return {
    async insert(unit) {
      try {
        await units.create([fromOrgUnit(unit)]);
      } catch (err) {
        rethrowUnique(err, UNIT_KEYS);
      }
    },
    async get(id) {
      const d = await units.findById(id).lean<OrgUnitDoc>();
      return d ? toOrgUnit(d) : null;
    },
    async getByCode(code) {
      const d = await units.findOne({ code }).lean<OrgUnitDoc>();
      return d ? toOrgUnit(d) : null;
    },
    async listSubtree(pathPrefix) {
      const docs = await units.find({ path: prefixRegex(pathPrefix) }).sort({ path: 1 }).lean<OrgUnitDoc[]>();
      return docs.map(toOrgUnit);
    },
    async listAll() {
      const docs = await units.find({}).sort({ path: 1 }).lean<OrgUnitDoc[]>();
      return docs.map(toOrgUnit);
    },
    async countChildren(id) {
      return units.countDocuments({ parentId: id });
    },
    async rename(id, name: LocalizedText, updatedAt) {
      await units.updateOne({ _id: id }, { $set: { name: text(name), updatedAt } });
    },
    /**
     * Without a transaction the steps run in an order that a retry can finish: first the
     * submissions under `oldPath`, then the descendants, and the unit itself last — so until the
     * very end the unit still shows `oldPath` and a service that re-runs the move computes the
     * same arguments. Each step is a pipeline update (per-document atomic) that only touches
     * documents still under `oldPath`, hence idempotent. A reader in between may see part of the
     * subtree moved; on a replica set the three steps could share a transaction to hide that.
     */
    async move(id, newParentId, oldPath, newPath, updatedAt) {
      const rewrite = (field: string) => [
        { $set: { [field]: { $concat: [newPath, { $substrCP: [`$${field}`, [...oldPath].length, { $strLenCP: `$${field}` }] }] } } },
      ];
      await m.submissions.updateMany({ orgUnitPath: prefixRegex(oldPath) }, rewrite('orgUnitPath'), { updatePipeline: true });
      await units.updateMany({ path: prefixRegex(oldPath), _id: mongoose.trusted({ $ne: id }) }, rewrite('path'), { updatePipeline: true });
      await units.updateOne({ _id: id }, { $set: { parentId: newParentId, path: newPath, updatedAt } });
    },
    /**
     * CSV import. Codes are checked up front (against the batch itself and the stored units) so a
     * clash is reported before anything is written; then every unit is replaced-or-inserted by id
     * in one ordered bulk write, which is idempotent: re-running an interrupted import completes it.
     */
    async upsertMany(list) {
      if (list.length === 0) return;
      const byCode = new Map<string, string>();
      for (const u of list) {
        const other = byCode.get(u.code);
        if (other !== undefined && other !== u.id) throw new UniqueViolation('org_unit.code');
        byCode.set(u.code, u.id);
      }
      const clashes = await units
        .find({ code: mongoose.trusted({ $in: [...byCode.keys()] }) }, { _id: 1, code: 1 })
        .lean<Pick<OrgUnitDoc, '_id' | 'code'>[]>();
      if (clashes.some((c) => byCode.get(c.code) !== c._id)) throw new UniqueViolation('org_unit.code');
      try {
        // Like the SQLite upsert: an existing unit keeps its createdAt.
        await units.bulkWrite(
          list.map((u: OrgUnit) => {
            const { _id, createdAt, ...fields } = fromOrgUnit(u);
            return { updateOne: { filter: { _id }, update: { $set: fields, $setOnInsert: { createdAt } }, upsert: true } };
          }),
          { ordered: true },
        );
      } catch (err) {
        rethrowUnique(err, UNIT_KEYS);
      }
    },
    async count() {
      return units.countDocuments({});
    },
  };
}

/** Members are a set, kept sorted (as SQLite returns them, ORDER BY org_unit_id). */
function memberSet(ids: string[]): string[] {
  return [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function makeOrgUnitGroupRepository(m: Models): OrgUnitGroupRepository {
  const groups = m.orgUnitGroups;
  return {
    async insert(group: OrgUnitGroup) {
      try {
        await groups.create([{ _id: group.id, code: group.code, name: text(group.name), memberIds: memberSet(group.memberIds) }]);
      } catch (err) {
        rethrowUnique(err, GROUP_KEYS);
      }
    },
    async get(id) {
      const d = await groups.findById(id).lean<OrgUnitGroupDoc>();
      return d ? toGroup(d) : null;
    },
    async list() {
      const docs = await groups.find({}).sort({ code: 1 }).lean<OrgUnitGroupDoc[]>();
      return docs.map(toGroup);
    },
    async update(id, patch) {
      const $set: Partial<OrgUnitGroupDoc> = {};
      if (patch.name !== undefined) $set.name = text(patch.name);
      if (patch.memberIds !== undefined) $set.memberIds = memberSet(patch.memberIds);
      if (Object.keys($set).length === 0) return;
      await groups.updateOne({ _id: id }, { $set });
    },
    async groupsOf(orgUnitId) {
      const docs = await groups.find({ memberIds: orgUnitId }).sort({ code: 1 }).lean<OrgUnitGroupDoc[]>();
      return docs.map(toGroup);
    },
  };
}
