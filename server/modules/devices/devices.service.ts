/**
 * Shared tablets: one-time enrolment codes (hashed, 24 h), exchanged for a long-lived bearer
 * credential (hashed); listing, renaming, re-assigning and revoking within the caller's subtree.
 */
import { randomUUID } from 'node:crypto';
import type { Device, OrgUnit, Storage } from '../../storage/port';
import { AppError } from '../../http/errors';
import type { SecurityConfig } from '../../config';
import type { RateLimiter } from '../../security/rate-limit';
import { newEnrolmentCode, randomToken, sha256Hex } from '../../security/tokens';
import type { AuditService } from '../audit/audit.service';
import { covers, scopePaths, type DevicePrincipal, type UserPrincipal } from '../../auth/principal';
import { requireRoleAt } from '../../auth/require';
import type { AssignedFormDto, DeviceConfigDto, EnrolmentDto } from '../../../common/api/devices';

export const DEVICE_MANAGERS = ['admin', 'enumerator'] as const;

export function makeDeviceService(deps: { storage: Storage; now: () => Date; security: SecurityConfig; limiter: RateLimiter; audit: AuditService }) {
  const { storage, audit } = deps;

  async function mustUnit(id: string): Promise<OrgUnit> {
    const u = await storage.orgUnits.get(id);
    if (!u) throw new AppError('ORG_UNIT_NOT_FOUND', { id });
    return u;
  }

  /** Forms must exist and be published (not drafts, not archived) to be put on a tablet. */
  async function checkForms(formIds: string[]): Promise<string[]> {
    const ids = [...new Set(formIds)];
    for (const id of ids) {
      const f = await storage.forms.get(id);
      if (!f) throw new AppError('FORM_NOT_FOUND', { id });
      if (f.status !== 'published') throw new AppError(f.status === 'archived' ? 'FORM_ARCHIVED' : 'FORM_NOT_PUBLISHED', { id });
    }
    return ids;
  }

  async function config(device: Device, orgUnit: OrgUnit): Promise<DeviceConfigDto> {
    const forms: AssignedFormDto[] = [];
    for (const id of device.formIds) {
      const f = await storage.forms.get(id);
      if (!f || f.latestVersion === null) continue;
      forms.push({ formId: f.id, slug: f.slug, kind: f.kind, title: f.title, version: f.latestVersion, status: f.status });
    }
    const children = (await storage.orgUnits.listSubtree(orgUnit.path)).filter((u) => u.parentId === orgUnit.id);
    return {
      id: device.id, label: device.label,
      orgUnit: { id: orgUnit.id, code: orgUnit.code, name: orgUnit.name, path: orgUnit.path, level: orgUnit.level },
      orgUnitChoices: [orgUnit, ...children].map((u) => ({ id: u.id, name: u.name, level: u.level })),
      forms, serverTime: deps.now().toISOString(),
    };
  }

  async function mustManage(p: UserPrincipal, id: string): Promise<{ device: Device; unit: OrgUnit | null }> {
    const d = await storage.devices.get(id);
    if (!d) throw new AppError('DEVICE_NOT_FOUND', { id });
    const unit = await storage.orgUnits.get(d.orgUnitId);
    if (!unit || !covers(scopePaths(p, DEVICE_MANAGERS), unit.path)) throw new AppError('DEVICE_NOT_FOUND', { id });
    return { device: d, unit };
  }

  return {
    async createEnrolment(p: UserPrincipal, input: { orgUnitId: string; formIds: string[]; label?: string | undefined }): Promise<EnrolmentDto> {
      const unit = await mustUnit(input.orgUnitId);
      requireRoleAt(p, DEVICE_MANAGERS, unit.path);
      const formIds = await checkForms(input.formIds);
      const now = deps.now();
      const code = newEnrolmentCode();
      const expiresAt = new Date(now.getTime() + deps.security.enrolmentHours * 3_600_000).toISOString();
      await storage.devices.insertEnrolment({
        codeHash: sha256Hex(code), orgUnitId: unit.id, formIds, label: input.label ?? null, createdBy: p.user.id,
        createdAt: now.toISOString(), expiresAt, usedAt: null, deviceId: null,
      });
      await audit.record(p, 'device.enrolment_created', { orgUnit: unit, details: { formIds, expiresAt } });
      return { code, expiresAt, orgUnitId: unit.id, formIds };
    },

    /** Public, so rate-limited as a whole (there is no caller identity yet): guessing 32^10 codes is hopeless at that pace. */
    async enrol(code: string, deviceLabel: string | undefined): Promise<{ token: string; device: DeviceConfigDto }> {
      const wait = await deps.limiter.take('enrol', deps.security.rateLimits.enrol);
      if (wait > 0) throw new AppError('RATE_LIMITED', { retryAfterSeconds: wait });
      const now = deps.now().toISOString();
      const id = randomUUID();
      const e = await storage.devices.consumeEnrolment(sha256Hex(code), now, id);
      if (!e) throw new AppError('ENROLMENT_CODE_INVALID');
      const unit = await mustUnit(e.orgUnitId);
      const token = randomToken();
      const device: Device = {
        id, label: deviceLabel || e.label || `${unit.name.zh} 平板`, orgUnitId: unit.id, formIds: e.formIds, tokenHash: sha256Hex(token),
        createdAt: now, createdBy: e.createdBy, lastSeenAt: now, revokedAt: null,
      };
      await storage.devices.insert(device);
      await audit.record(null, 'device.enrolled', {
        actor: { actorKind: 'device', actorId: id, actorName: device.label }, orgUnit: unit, target: { type: 'device', id }, details: { formIds: e.formIds, enrolledBy: e.createdBy },
      });
      return { token, device: await config(device, unit) };
    },

    config: (p: DevicePrincipal) => config(p.device, p.orgUnit),

    async list(p: UserPrincipal): Promise<Device[]> {
      const scope = scopePaths(p, DEVICE_MANAGERS);
      const out: Device[] = [];
      for (const d of await storage.devices.list()) {
        const unit = await storage.orgUnits.get(d.orgUnitId);
        if (unit && covers(scope, unit.path)) out.push(d);
      }
      return out;
    },

    async update(p: UserPrincipal, id: string, patch: { label?: string | undefined; orgUnitId?: string | undefined; formIds?: string[] | undefined }): Promise<Device> {
      const { device, unit } = await mustManage(p, id);
      let target = unit;
      if (patch.orgUnitId && patch.orgUnitId !== device.orgUnitId) {
        target = await mustUnit(patch.orgUnitId);
        requireRoleAt(p, DEVICE_MANAGERS, target.path);
      }
      const formIds = patch.formIds ? await checkForms(patch.formIds) : undefined;
      await storage.devices.update(id, { ...(patch.label ? { label: patch.label } : {}), ...(target && patch.orgUnitId ? { orgUnitId: target.id } : {}), ...(formIds ? { formIds } : {}) });
      await audit.record(p, 'device.updated', { orgUnit: target, target: { type: 'device', id }, details: { ...patch, previousOrgUnitId: device.orgUnitId } });
      return (await storage.devices.get(id))!;
    },

    async revoke(p: UserPrincipal, id: string): Promise<Device> {
      const { device, unit } = await mustManage(p, id);
      if (!device.revokedAt) {
        await storage.devices.update(id, { revokedAt: deps.now().toISOString() });
        await audit.record(p, 'device.revoked', { orgUnit: unit, target: { type: 'device', id }, details: { label: device.label } });
      }
      return (await storage.devices.get(id))!;
    },
  };
}
export type DeviceService = ReturnType<typeof makeDeviceService>;

export function deviceDto(d: Device) {
  const { tokenHash: _t, ...rest } = d;
  return rest;
}
