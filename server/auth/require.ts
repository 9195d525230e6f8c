import { AppError } from '../http/errors';
import { holds, type DevicePrincipal, type Principal, type UserPrincipal } from './principal';

/** The route's guard already required a user; this narrows the type (and fails closed). */
export function requireUser(p: Principal | null): UserPrincipal {
  if (!p || p.kind !== 'user') throw new AppError('UNAUTHENTICATED');
  return p;
}

export function requireDevice(p: Principal | null): DevicePrincipal {
  if (!p || p.kind !== 'device') throw new AppError('DEVICE_UNAUTHORIZED');
  return p;
}

/** 403 unless the user holds one of `roles` on the org unit at `path`. */
export function requireRoleAt(p: Principal, roles: readonly string[], path: string): void {
  if (!holds(p, roles, path)) throw new AppError('FORBIDDEN', { requires: roles });
}
