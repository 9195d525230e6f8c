/**
 * Who is calling: a signed-in staff user (with role assignments resolved to org-unit paths) or an
 * enrolled device (bound to one org unit). Scoping rules live here so every module applies them alike.
 */
import type { Device, OrgUnit, User } from '../storage/port';
import type { Role } from '../../common/api/access';

/** A role on a subtree; `path` is the org unit's path, or '/' for a system-wide assignment. */
export interface Scope {
  role: Role;
  orgUnitId: string | null;
  path: string;
}

export interface UserPrincipal {
  kind: 'user';
  user: User;
  scopes: Scope[];
  sessionIdHash: string;
  csrfToken: string;
  expiresAt: string;
}

export interface DevicePrincipal {
  kind: 'device';
  device: Device;
  orgUnit: OrgUnit;
}

export type Principal = UserPrincipal | DevicePrincipal;

/** The smallest set of subtree paths on which the user holds any of `roles` (['/'] = everywhere). */
export function scopePaths(p: Principal, roles: readonly string[]): string[] {
  if (p.kind === 'device') return [p.orgUnit.path];
  const paths = [...new Set(p.scopes.filter((s) => roles.includes(s.role)).map((s) => s.path))].sort((a, b) => a.length - b.length);
  return paths.filter((x, i) => !paths.slice(0, i).some((y) => x.startsWith(y)));
}

export function covers(paths: readonly string[], path: string): boolean {
  return paths.some((p) => path.startsWith(p));
}

export function isGlobal(p: Principal, roles: readonly string[]): boolean {
  return scopePaths(p, roles).includes('/');
}

/** Is the user allowed `roles` on the org unit at `path`? */
export function holds(p: Principal, roles: readonly string[], path: string): boolean {
  return p.kind === 'user' && covers(scopePaths(p, roles), path);
}

export function actorOf(p: Principal | null): { actorKind: 'user' | 'device' | 'anonymous'; actorId: string | null; actorName: string | null } {
  if (!p) return { actorKind: 'anonymous', actorId: null, actorName: null };
  return p.kind === 'user'
    ? { actorKind: 'user', actorId: p.user.id, actorName: p.user.username }
    : { actorKind: 'device', actorId: p.device.id, actorName: p.device.label };
}
