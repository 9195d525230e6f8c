/**
 * Staff accounts, managed by admins within their subtree: an admin sees the users who hold a role
 * somewhere in it, changes only users whose every role lies inside it, and grants roles only inside it.
 */
import { randomUUID } from 'node:crypto';
import { UniqueViolation, type RoleAssignment, type Storage, type User } from '../../storage/port';
import { AppError } from '../../http/errors';
import type { Passwords } from '../../security/passwords';
import type { AuditService } from '../audit/audit.service';
import { covers, scopePaths, type UserPrincipal } from '../../auth/principal';

const ADMINS = ['admin'] as const;

export function makeUserService(deps: { storage: Storage; now: () => Date; passwords: Passwords; audit: AuditService }) {
  const { storage, audit } = deps;

  /** Path of each assignment's org unit ('/' for system-wide); unknown units are refused. */
  async function pathsOf(roles: RoleAssignment[]): Promise<string[]> {
    const out: string[] = [];
    for (const r of roles) {
      if (r.orgUnitId === null) { out.push('/'); continue; }
      const unit = await storage.orgUnits.get(r.orgUnitId);
      if (!unit) throw new AppError('ORG_UNIT_NOT_FOUND', { id: r.orgUnitId });
      out.push(unit.path);
    }
    return out;
  }

  async function visible(admin: UserPrincipal, u: User): Promise<boolean> {
    const scope = scopePaths(admin, ADMINS);
    if (scope.includes('/')) return true;
    const paths = await pathsOf(u.roles).catch(() => [] as string[]);
    return paths.some((p) => covers(scope, p));
  }

  /** Every role lies within the admin's subtree (so a township admin cannot touch a county-wide user). */
  async function requireManageable(admin: UserPrincipal, roles: RoleAssignment[]): Promise<string[]> {
    const scope = scopePaths(admin, ADMINS);
    const paths = await pathsOf(roles);
    if (!paths.every((p) => covers(scope, p))) throw new AppError('FORBIDDEN', { reason: 'role outside your org units / 角色超出您管理的范围' });
    return paths;
  }

  async function mustGet(admin: UserPrincipal, id: string): Promise<User> {
    const u = await storage.users.get(id);
    if (!u || !(await visible(admin, u))) throw new AppError('USER_NOT_FOUND', { id });
    return u;
  }

  async function unitOf(roles: RoleAssignment[]) {
    const first = roles.find((r) => r.orgUnitId !== null);
    return first?.orgUnitId ? storage.orgUnits.get(first.orgUnitId) : null;
  }

  const dedupe = (roles: RoleAssignment[]) => [...new Map(roles.map((r) => [`${r.role}@${r.orgUnitId}`, r])).values()];

  return {
    async list(admin: UserPrincipal): Promise<User[]> {
      const all = await storage.users.list();
      const out: User[] = [];
      for (const u of all) if (await visible(admin, u)) out.push(u);
      return out;
    },
    get: mustGet,
    async create(admin: UserPrincipal, input: { username: string; displayName: string; password: string; roles: RoleAssignment[] }): Promise<User> {
      await requireManageable(admin, input.roles);
      const at = deps.now().toISOString();
      const user: User = {
        id: randomUUID(), username: input.username, displayName: input.displayName, passwordHash: await deps.passwords.hash(input.password),
        roles: dedupe(input.roles), disabled: false, createdAt: at, updatedAt: at,
      };
      try {
        await storage.users.insert(user);
      } catch (err) {
        if (err instanceof UniqueViolation) throw new AppError('DUPLICATE_USERNAME', { username: input.username });
        throw err;
      }
      await audit.record(admin, 'user.created', { orgUnit: await unitOf(user.roles), target: { type: 'user', id: user.id }, details: { username: user.username, roles: user.roles } });
      return user;
    },
    async update(admin: UserPrincipal, id: string, patch: { displayName?: string; roles?: RoleAssignment[]; disabled?: boolean }): Promise<User> {
      const u = await mustGet(admin, id);
      await requireManageable(admin, u.roles);
      if (patch.roles) await requireManageable(admin, patch.roles);
      if (id === admin.user.id && (patch.disabled || patch.roles)) {
        throw new AppError('FORBIDDEN', { reason: 'you cannot disable yourself or change your own roles / 不能停用自己或修改自己的角色' });
      }
      const roles = patch.roles ? dedupe(patch.roles) : undefined;
      await storage.users.update(id, {
        ...(patch.displayName ? { displayName: patch.displayName } : {}), ...(roles ? { roles } : {}),
        ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}), updatedAt: deps.now().toISOString(),
      });
      if (patch.disabled) await storage.sessions.deleteForUser(id);
      const unit = await unitOf(roles ?? u.roles);
      if (roles) await audit.record(admin, 'user.roles_changed', { orgUnit: unit, target: { type: 'user', id }, details: { before: u.roles, after: roles } });
      if (patch.displayName !== undefined || patch.disabled !== undefined) {
        await audit.record(admin, 'user.updated', { orgUnit: unit, target: { type: 'user', id }, details: { ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}), ...(patch.displayName ? { displayName: patch.displayName } : {}) } });
      }
      return (await storage.users.get(id))!;
    },
    async resetPassword(admin: UserPrincipal, id: string, password: string): Promise<void> {
      const u = await mustGet(admin, id);
      await requireManageable(admin, u.roles);
      await storage.users.update(id, { passwordHash: await deps.passwords.hash(password), updatedAt: deps.now().toISOString() });
      const n = await storage.sessions.deleteForUser(id);
      await audit.record(admin, 'user.password_reset', { orgUnit: await unitOf(u.roles), target: { type: 'user', id }, details: { sessionsRevoked: n } });
    },
    async revokeSessions(admin: UserPrincipal, id: string): Promise<number> {
      const u = await mustGet(admin, id);
      await requireManageable(admin, u.roles);
      const n = await storage.sessions.deleteForUser(id);
      await audit.record(admin, 'user.sessions_revoked', { orgUnit: await unitOf(u.roles), target: { type: 'user', id }, details: { sessionsRevoked: n } });
      return n;
    },
  };
}
export type UserService = ReturnType<typeof makeUserService>;
