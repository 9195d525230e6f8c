/** The audit log of the admin's subtree: filters (in the URL), paging by cursor, CSV download. */
import { useState } from 'react';
import { Button } from '../../ui';
import { auditCsvUrl, listAudit, listOrgUnits, listUsers, type AuditEventDto, type AuditFilter } from '../../api/admin';
import { AUDIT_TYPES, type AuditType } from '../../../../common/api/access';
import type { ConsolePageProps } from '../console/registry';
import { setQuery } from '../console/router';
import { fmtTime, LoadError, unitLabel, useLoad } from './common';
import { adminStrings } from './strings';
import './admin.css';

const PAGE = 50;

/** A date picked in China (yyyy-mm-dd) → the first / last instant of that day, as ISO with +08:00. */
export function dayStart(day: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T00:00:00+08:00` : undefined;
}
export function dayEnd(day: string): string | undefined {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? `${day}T23:59:59.999+08:00` : undefined;
}

function details(e: AuditEventDto): string {
  const entries = Object.entries(e.details);
  if (entries.length === 0) return '';
  return entries.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ');
}

export default function AuditPage({ query }: ConsolePageProps) {
  const { t, lang } = adminStrings.useStrings();
  const typeParam = query.get('type') ?? '';
  const type = (AUDIT_TYPES as readonly string[]).includes(typeParam) ? (typeParam as AuditType) : undefined;
  const actor = query.get('actor') ?? '';
  const from = query.get('from') ?? '';
  const to = query.get('to') ?? '';
  const filter: Omit<AuditFilter, 'cursor' | 'limit'> = {
    ...(type ? { type } : {}), ...(actor.trim() ? { actor: actor.trim() } : {}),
    ...(dayStart(from) ? { from: dayStart(from) } : {}), ...(dayEnd(to) ? { to: dayEnd(to) } : {}),
  };
  // cursors of the pages before the current one: "previous" pops, "next" pushes
  const [cursors, setCursors] = useState<string[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const filterKey = JSON.stringify(filter);
  const [forKey, setForKey] = useState(filterKey);
  if (forKey !== filterKey) {
    setForKey(filterKey);
    setCursors([]);
    setCursor(undefined);
  }
  const units = useLoad(() => listOrgUnits(), []);
  const users = useLoad(() => listUsers(), []);
  const page = useLoad(() => listAudit({ ...filter, limit: PAGE, ...(cursor ? { cursor } : {}) }), [filterKey, cursor]);

  return (
    <div data-testid="audit-page">
      <h2>{t('auditTitle')}</h2>
      <div className="cwc-filters">
        <label className="cw-field">{t('auditType')}
          <select value={type ?? ''} onChange={(e) => setQuery({ type: e.target.value })} data-testid="audit-filter-type">
            <option value="">{t('all')}</option>
            {AUDIT_TYPES.map((a) => <option key={a} value={a}>{t(`at_${a}`)}</option>)}
          </select>
        </label>
        <label className="cw-field">{t('auditWho')}
          <select value={actor} onChange={(e) => setQuery({ actor: e.target.value })} data-testid="audit-filter-actor">
            <option value="">{t('all')}</option>
            {(users.data ?? []).map((u) => <option key={u.id} value={u.id}>{`${u.displayName}(${u.username})`}</option>)}
            {actor && !(users.data ?? []).some((u) => u.id === actor) ? <option value={actor}>{actor}</option> : null}
          </select>
        </label>
        <label className="cw-field">{t('auditFrom')}
          <input type="date" value={from} onChange={(e) => setQuery({ from: e.target.value })} data-testid="audit-filter-from" />
        </label>
        <label className="cw-field">{t('auditTo')}
          <input type="date" value={to} onChange={(e) => setQuery({ to: e.target.value })} data-testid="audit-filter-to" />
        </label>
        <a className="cw-btn cw-btn--secondary cwc-linkbtn" href={auditCsvUrl(filter)} download data-testid="audit-csv">{t('auditCsv')}</a>
      </div>
      {page.error ? <LoadError error={page.error} onRetry={page.reload} /> : null}
      {!page.data ? (page.error ? null : <p>{t('loading')}</p>) : page.data.items.length === 0 ? <p data-testid="audit-empty">{t('auditEmpty')}</p> : (
        <table className="cwc-table" data-testid="audit-table">
          <thead><tr><th>{t('auditTime')}</th><th>{t('auditType')}</th><th>{t('auditWho')}</th><th>{t('reviewOrgUnit')}</th><th>{t('auditTarget')}</th><th>{t('auditDetails')}</th></tr></thead>
          <tbody>
            {page.data.items.map((e) => (
              <tr key={e.id} data-testid="audit-row" data-type={e.type}>
                <td>{fmtTime(e.at, lang)}</td>
                <td>{t(`at_${e.type}`)}</td>
                <td>
                  {e.actorId && e.actorId !== actor
                    ? <button type="button" className="cwc-linklike" title={t('auditOnlyActor')} onClick={() => setQuery({ actor: e.actorId })}>{e.actorName ?? e.actorId}</button>
                    : e.actorName ?? e.actorId ?? ''}
                  {' '}<small className="cw-note">({t(`actor_${e.actorKind}`)})</small>
                </td>
                <td>{e.orgUnitId ? unitLabel(units.data ?? [], e.orgUnitId, lang, '') : ''}</td>
                <td>{e.targetType ? `${e.targetType}:${e.targetId ?? ''}` : ''}</td>
                <td className="cwc-details">{details(e)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="cw-row">
        <Button variant="secondary" disabled={cursors.length === 0}
          onClick={() => { const prev = cursors.slice(0, -1); setCursor(cursors[cursors.length - 1] || undefined); setCursors(prev); }} data-testid="audit-prev">
          {t('prevPage')}
        </Button>
        <span>{t('auditPage', { n: cursors.length + 1 })}</span>
        <Button variant="secondary" disabled={!page.data?.nextCursor}
          onClick={() => { if (page.data?.nextCursor) { setCursors([...cursors, cursor ?? '']); setCursor(page.data.nextCursor); } }} data-testid="audit-next">
          {t('nextPage')}
        </Button>
      </div>
    </div>
  );
}
