import { z } from 'zod';
import { defineRoute, idParams, type RouteDef } from '../../http/route';
import {
  CreateOrgUnitBody, CreateOrgUnitGroupBody, ImportOrgUnitsResult, ListOrgUnitsQuery, OrgUnitGroupSchema, OrgUnitSchema,
  UpdateOrgUnitBody, UpdateOrgUnitGroupBody,
} from '../../../common/api/org-units';
import type { OrgUnitService } from './org-units.service';

const ADMINS = ['admin'] as const;
const READERS = ['admin', 'designer', 'reviewer', 'analyst', 'enumerator'] as const;

export function orgUnitRoutes(svc: OrgUnitService): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/org-units', tag: 'org-units', summary: 'List org units (whole tree or a subtree)',
      access: { kind: 'staff', roles: READERS }, query: ListOrgUnitsQuery, response: z.array(OrgUnitSchema),
      handler: ({ query }) => svc.list(query),
    }),
    defineRoute({
      method: 'post', path: '/org-units', tag: 'org-units', summary: 'Create an org unit', status: 201,
      access: { kind: 'staff', roles: ADMINS }, body: CreateOrgUnitBody, response: OrgUnitSchema,
      handler: ({ body }) => svc.create(body),
    }),
    defineRoute({
      method: 'post', path: '/org-units/import', tag: 'org-units', summary: 'Import org units from CSV (code, name, parent_code[, level, name_en])',
      access: { kind: 'staff', roles: ADMINS }, consumes: 'text/csv', body: z.string().min(1).max(5_000_000), response: ImportOrgUnitsResult,
      handler: ({ body }) => svc.importCsv(body),
    }),
    defineRoute({
      method: 'get', path: '/org-units/:id', tag: 'org-units', summary: 'Get an org unit',
      access: { kind: 'staff', roles: READERS }, params: idParams('id'), response: OrgUnitSchema,
      handler: ({ params }) => svc.get(params.id),
    }),
    defineRoute({
      method: 'patch', path: '/org-units/:id', tag: 'org-units', summary: 'Rename and/or move an org unit',
      access: { kind: 'staff', roles: ADMINS }, params: idParams('id'), body: UpdateOrgUnitBody, response: OrgUnitSchema,
      handler: ({ params, body }) => svc.update(params.id, body),
    }),
    defineRoute({
      method: 'get', path: '/org-unit-groups', tag: 'org-units', summary: 'List org unit groups (e.g. village tiers)',
      access: { kind: 'staff', roles: READERS }, response: z.array(OrgUnitGroupSchema),
      handler: () => svc.listGroups(),
    }),
    defineRoute({
      method: 'post', path: '/org-unit-groups', tag: 'org-units', summary: 'Create an org unit group', status: 201,
      access: { kind: 'staff', roles: ADMINS }, body: CreateOrgUnitGroupBody, response: OrgUnitGroupSchema,
      handler: ({ body }) => svc.createGroup(body),
    }),
    defineRoute({
      method: 'patch', path: '/org-unit-groups/:id', tag: 'org-units', summary: 'Rename a group or set its members',
      access: { kind: 'staff', roles: ADMINS }, params: idParams('id'), body: UpdateOrgUnitGroupBody, response: OrgUnitGroupSchema,
      handler: ({ params, body }) => svc.updateGroup(params.id, body),
    }),
  ];
}
