import { z } from 'zod';
import { defineRoute, idParams, type RouteDef } from '../../http/route';
import {
  CreateOrgUnitBody, CreateOrgUnitGroupBody, ImportOrgUnitsResult, ListOrgUnitsQuery, OrgUnitGroupSchema, OrgUnitSchema,
  UpdateOrgUnitBody, UpdateOrgUnitGroupBody,
} from '../../../common/api/org-units';
import type { OrgUnitService } from './org-units.service';
import { AppError } from '../../http/errors';
import { covers, isGlobal, scopePaths, type Principal } from '../../auth/principal';
import { requireUser } from '../../auth/require';

const ADMINS = ['admin'] as const;
const READERS = ['admin', 'designer', 'reviewer', 'analyst', 'enumerator'] as const;

/**
 * Scoping: staff see the org units of their subtrees; admins change units inside their admin
 * subtree (a new county, CSV import and the cross-cutting groups need a system-wide admin).
 */
function requireGlobalAdmin(p: Principal | null): void {
  if (!isGlobal(requireUser(p), ADMINS)) throw new AppError('FORBIDDEN', { reason: 'system-wide admin only / 仅限全局管理员' });
}

export function orgUnitRoutes(svc: OrgUnitService): RouteDef[] {
  const readable = async (p: Principal | null, id: string) => {
    const unit = await svc.get(id);
    if (!covers(scopePaths(requireUser(p), READERS), unit.path)) throw new AppError('ORG_UNIT_NOT_FOUND', { id });
    return unit;
  };
  const requireAdminAt = (p: Principal | null, path: string) => {
    if (!covers(scopePaths(requireUser(p), ADMINS), path)) throw new AppError('FORBIDDEN', { requires: ADMINS });
  };
  return [
    defineRoute({
      method: 'get', path: '/org-units', tag: 'org-units', summary: 'List org units (whole tree or a subtree)',
      access: { kind: 'staff', roles: READERS }, query: ListOrgUnitsQuery, response: z.array(OrgUnitSchema),
      handler: async ({ query, principal }) => {
        const scope = scopePaths(requireUser(principal), READERS);
        if (query.root) await readable(principal, query.root);
        return (await svc.list(query)).filter((u) => covers(scope, u.path));
      },
    }),
    defineRoute({
      method: 'post', path: '/org-units', tag: 'org-units', summary: 'Create an org unit', status: 201,
      access: { kind: 'staff', roles: ADMINS }, body: CreateOrgUnitBody, response: OrgUnitSchema,
      handler: async ({ body, principal }) => {
        if (!body.parentId) requireGlobalAdmin(principal);
        else {
          const parent = await svc.get(body.parentId).catch(() => { throw new AppError('PARENT_NOT_FOUND', { parentId: body.parentId }); });
          requireAdminAt(principal, parent.path);
        }
        return svc.create(body);
      },
    }),
    defineRoute({
      method: 'post', path: '/org-units/import', tag: 'org-units', summary: 'Import org units from CSV (code, name, parent_code[, level, name_en])',
      access: { kind: 'staff', roles: ADMINS }, consumes: 'text/csv', body: z.string().min(1).max(5_000_000), response: ImportOrgUnitsResult,
      handler: ({ body, principal }) => { requireGlobalAdmin(principal); return svc.importCsv(body); },
    }),
    defineRoute({
      method: 'get', path: '/org-units/:id', tag: 'org-units', summary: 'Get an org unit',
      access: { kind: 'staff', roles: READERS }, params: idParams('id'), response: OrgUnitSchema,
      handler: ({ params, principal }) => readable(principal, params.id),
    }),
    defineRoute({
      method: 'patch', path: '/org-units/:id', tag: 'org-units', summary: 'Rename and/or move an org unit',
      access: { kind: 'staff', roles: ADMINS }, params: idParams('id'), body: UpdateOrgUnitBody, response: OrgUnitSchema,
      handler: async ({ params, body, principal }) => {
        const unit = await svc.get(params.id);
        requireAdminAt(principal, unit.path);
        if (body.parentId) {
          const parent = await svc.get(body.parentId).catch(() => { throw new AppError('PARENT_NOT_FOUND', { parentId: body.parentId }); });
          requireAdminAt(principal, parent.path);
        }
        return svc.update(params.id, body);
      },
    }),
    defineRoute({
      method: 'get', path: '/org-unit-groups', tag: 'org-units', summary: 'List org unit groups (e.g. village tiers)',
      access: { kind: 'staff', roles: READERS }, response: z.array(OrgUnitGroupSchema),
      handler: async ({ principal }) => {
        const p = requireUser(principal);
        const groups = await svc.listGroups();
        if (isGlobal(p, READERS)) return groups;
        // members outside the caller's subtrees are not shown
        const scope = scopePaths(p, READERS);
        const visible = new Set((await svc.list({})).filter((u) => covers(scope, u.path)).map((u) => u.id));
        return groups.map((g) => ({ ...g, memberIds: g.memberIds.filter((m) => visible.has(m)) }));
      },
    }),
    defineRoute({
      method: 'post', path: '/org-unit-groups', tag: 'org-units', summary: 'Create an org unit group', status: 201,
      access: { kind: 'staff', roles: ADMINS }, body: CreateOrgUnitGroupBody, response: OrgUnitGroupSchema,
      handler: ({ body, principal }) => { requireGlobalAdmin(principal); return svc.createGroup(body); },
    }),
    defineRoute({
      method: 'patch', path: '/org-unit-groups/:id', tag: 'org-units', summary: 'Rename a group or set its members',
      access: { kind: 'staff', roles: ADMINS }, params: idParams('id'), body: UpdateOrgUnitGroupBody, response: OrgUnitGroupSchema,
      handler: ({ params, body, principal }) => { requireGlobalAdmin(principal); return svc.updateGroup(params.id, body); },
    }),
  ];
}
