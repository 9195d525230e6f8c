/** The append-only audit log: one `record` used by every module, and the scoped listing. */
import { randomUUID } from 'node:crypto';
import type { AuditCursor, AuditEvent, AuditFilter, OrgUnit, Storage } from '../../storage/port';
import type { AuditType } from '../../../common/api/access';
import { actorOf, scopePaths, type Principal } from '../../auth/principal';
import { AppError } from '../../http/errors';

export interface AuditRecord {
  orgUnit?: Pick<OrgUnit, 'id' | 'path'> | null;
  target?: { type: string; id: string };
  details?: Record<string, unknown>;
  /** overrides the principal's identity (e.g. a failed sign-in names the username tried) */
  actor?: { actorKind: AuditEvent['actorKind']; actorId: string | null; actorName: string | null };
}

export function makeAuditService(deps: { storage: Storage; now: () => Date }) {
  const { storage } = deps;

  async function record(principal: Principal | null, type: AuditType, r: AuditRecord = {}): Promise<void> {
    const actor = r.actor ?? actorOf(principal);
    await storage.audit.append({
      id: randomUUID(), at: deps.now().toISOString(), type, ...actor,
      orgUnitId: r.orgUnit?.id ?? null, orgUnitPath: r.orgUnit?.path ?? null,
      targetType: r.target?.type ?? null, targetId: r.target?.id ?? null, details: r.details ?? {},
    });
  }

  /**
   * Events visible to an admin: a system-wide admin sees everything; an admin of a subtree sees the
   * events of org units in it (system-wide events, e.g. form publishing, are for system-wide admins).
   */
  async function list(principal: Principal, q: { type?: AuditType; actor?: string; from?: string; to?: string; cursor?: string; limit: number }) {
    const paths = scopePaths(principal, ['admin']);
    const base: AuditFilter = {
      ...(q.type ? { type: q.type } : {}), ...(q.actor ? { actorId: q.actor } : {}),
      ...(q.from ? { from: new Date(q.from).toISOString() } : {}), ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
    };
    if (paths.includes('/')) {
      const page = await storage.audit.list(base, q.cursor ? decodeAuditCursor(q.cursor) : null, q.limit);
      return { items: page.items, nextCursor: page.next ? encodeAuditCursor(page.next) : null };
    }
    if (paths.length !== 1) {
      // several disjoint subtrees: the caller names one of them
      throw new AppError('ORG_UNIT_REQUIRED', { subtrees: paths.length });
    }
    const page = await storage.audit.list({ ...base, orgUnitPath: paths[0]! }, q.cursor ? decodeAuditCursor(q.cursor) : null, q.limit);
    return { items: page.items, nextCursor: page.next ? encodeAuditCursor(page.next) : null };
  }

  return { record, list };
}
export type AuditService = ReturnType<typeof makeAuditService>;

export function encodeAuditCursor(c: AuditCursor): string {
  return Buffer.from(JSON.stringify([c.at, c.id])).toString('base64url');
}

export function decodeAuditCursor(s: string): AuditCursor {
  try {
    const v: unknown = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { at: v[0], id: v[1] };
  } catch {
    // fall through
  }
  throw new AppError('INVALID_CURSOR');
}

export function auditDto(e: AuditEvent) {
  const { orgUnitPath: _p, ...rest } = e;
  return rest;
}

const CSV_COLUMNS = ['at', 'type', 'actorKind', 'actorId', 'actorName', 'orgUnitId', 'targetType', 'targetId', 'details'] as const;

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with ' (CSV injection). */
export function auditCsv(events: AuditEvent[]): string {
  const cell = (v: unknown): string => {
    let s = v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [CSV_COLUMNS.join(',')];
  for (const e of events) lines.push(CSV_COLUMNS.map((c) => cell(e[c])).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
