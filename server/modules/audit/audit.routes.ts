import { z } from 'zod';
import { defineRoute, RESPONDED, type RouteDef } from '../../http/route';
import { AuditEventSchema, ListAuditQuery } from '../../../common/api/access';
import { auditCsv, auditDto, type AuditService } from './audit.service';
import type { AuditEvent } from '../../storage/port';
import { requireUser } from '../../auth/require';

const ADMINS = ['admin'] as const;
const CSV_MAX_ROWS = 50_000;

export function auditRoutes(svc: AuditService): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: '/audit', tag: 'audit', summary: 'The audit log of the caller\'s subtree, newest first (filters: type, actor, from, to; cursor)',
      access: { kind: 'staff', roles: ADMINS }, query: ListAuditQuery,
      response: z.object({ items: z.array(AuditEventSchema), nextCursor: z.string().nullable() }),
      handler: async ({ query, principal }) => {
        const page = await svc.list(requireUser(principal), query);
        return { items: page.items.map(auditDto), nextCursor: page.nextCursor };
      },
    }),
    defineRoute({
      method: 'get', path: '/audit.csv', tag: 'audit', summary: 'The same, as CSV (UTF-8 with BOM; the export itself is audited)',
      access: { kind: 'staff', roles: ADMINS }, query: ListAuditQuery.omit({ cursor: true, limit: true }),
      handler: async ({ query, principal, res }) => {
        const user = requireUser(principal);
        const rows: AuditEvent[] = [];
        let cursor: string | undefined;
        do {
          const page = await svc.list(user, { ...query, limit: 500, ...(cursor ? { cursor } : {}) });
          rows.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor && rows.length < CSV_MAX_ROWS);
        await svc.record(user, 'export', { target: { type: 'audit', id: 'audit.csv' }, details: { rows: rows.length, filter: query } });
        res.setHeader('Content-Type', 'text/csv; charset=utf-8');
        res.setHeader('Content-Disposition', 'attachment; filename="audit.csv"');
        res.send(auditCsv(rows));
        return RESPONDED;
      },
    }),
  ];
}
