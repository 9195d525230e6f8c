/**
 * The review queue (`/console/review`, filters in the URL) and one submission
 * (`/console/review/<id>`): answers (masked; reviewers may reveal, audited by the server),
 * approve / has issues / reject with a comment, history and corrections.
 */
import { useMemo, useState } from 'react';
import { Button } from '../../ui';
import {
  getFormVersion, getSubmission, listForms, listOrgUnits, listRevisions, listSubmissions, recordReview, reviewHistory,
  type FormDto, type OrgUnitDto, type ReviewEventDto, type SubmissionViewDto,
} from '../../api/admin';
import { REVIEW_STATES, type ReviewState } from '../../../../common/api/submissions';
import type { ReviewDecision } from '../../../../common/review';
import type { ConsolePageProps } from '../console/registry';
import { setQuery } from '../console/router';
import { Link } from '../console/Link';
import { answerText, questionIndex } from './answers';
import { errText, fmtTime, LoadError, Message, OrgUnitSelect, Section, unitLabel, useLoad } from './common';
import { adminStrings } from './strings';
import './admin.css';

const BASE = '/console/review';
const PAGE = 50;

function formTitle(forms: readonly FormDto[], id: string, lang: 'zh' | 'en'): string {
  const f = forms.find((x) => x.id === id);
  return f ? (lang === 'en' && f.title.en ? f.title.en : f.title.zh) : id;
}

function StateBadge({ state }: { state: ReviewState }) {
  const { t } = adminStrings.useStrings();
  return <span className={`cwc-badge cwc-state-${state}`} data-testid="review-state">{t(`state_${state}`)}</span>;
}

function canDecide(me: ConsolePageProps['me']): boolean {
  return me.user.roles.some((r) => r.role === 'admin' || r.role === 'reviewer');
}

function canReveal(me: ConsolePageProps['me']): boolean {
  return me.user.roles.some((r) => r.role === 'reviewer');
}

function Queue({ query, units, forms }: { query: URLSearchParams; units: OrgUnitDto[]; forms: FormDto[] }) {
  const { t, lang } = adminStrings.useStrings();
  const formId = query.get('form') ?? '';
  const orgUnit = query.get('orgUnit') ?? '';
  const stateParam = query.get('state') ?? 'received';
  const state = (REVIEW_STATES as readonly string[]).includes(stateParam) ? (stateParam as ReviewState) : stateParam === 'all' ? 'all' : 'received';
  const [pages, setPages] = useState<{ key: string; items: SubmissionViewDto[]; next: string | null }>({ key: '', items: [], next: null });
  const [moreError, setMoreError] = useState<string | null>(null);
  const key = `${formId}|${orgUnit}`;
  const first = useLoad(() => listSubmissions({ ...(formId ? { formId } : {}), ...(orgUnit ? { orgUnit } : {}), limit: PAGE }), [formId, orgUnit]);

  const loaded = pages.key === key && first.data ? [...first.data.items, ...pages.items] : first.data?.items ?? [];
  const next = pages.key === key && pages.items.length ? pages.next : first.data?.nextCursor ?? null;
  // the server filters by form and org unit; the review state is filtered here over what is loaded
  const shown = loaded.filter((s) => state === 'all' || s.reviewState === state);

  const more = async () => {
    if (!next) return;
    setMoreError(null);
    try {
      const r = await listSubmissions({ ...(formId ? { formId } : {}), ...(orgUnit ? { orgUnit } : {}), limit: PAGE, cursor: next });
      setPages((p) => ({ key, items: [...(p.key === key ? p.items : []), ...r.items], next: r.nextCursor }));
    } catch (err) {
      setMoreError(errText(err, lang));
    }
  };

  return (
    <div data-testid="review-queue">
      <h2>{t('reviewTitle')}</h2>
      <div className="cwc-filters">
        <label className="cw-field">{t('reviewState')}
          <select value={state} onChange={(e) => setQuery({ state: e.target.value })} data-testid="review-filter-state">
            {REVIEW_STATES.map((s) => <option key={s} value={s}>{t(`state_${s}`)}</option>)}
            <option value="all">{t('all')}</option>
          </select>
        </label>
        <label className="cw-field">{t('reviewForm')}
          <select value={formId} onChange={(e) => setQuery({ form: e.target.value })} data-testid="review-filter-form">
            <option value="">{t('all')}</option>
            {forms.map((f) => <option key={f.id} value={f.id}>{formTitle(forms, f.id, lang)}</option>)}
          </select>
        </label>
        <OrgUnitSelect units={units} value={orgUnit} onChange={(id) => setQuery({ orgUnit: id })} label={t('reviewOrgUnit')} allowNone testId="review-filter-orgunit" />
      </div>
      {first.error ? <LoadError error={first.error} onRetry={first.reload} /> : null}
      {first.loading && !first.data ? <p>{t('loading')}</p> : null}
      {first.data ? (
        <>
          <p className="cw-note">{t('reviewCountNote', { shown: shown.length, loaded: loaded.length })}</p>
          {shown.length === 0 ? <p data-testid="review-empty">{t('reviewEmpty')}</p> : (
            <table className="cwc-table" data-testid="review-table">
              <thead><tr><th>{t('reviewCompleted')}</th><th>{t('reviewForm')}</th><th>{t('reviewOrgUnit')}</th><th>{t('reviewState')}</th><th /></tr></thead>
              <tbody>
                {shown.map((s) => (
                  <tr key={s.id} data-testid="review-row" data-id={s.id}>
                    <td>{fmtTime(s.completedAt, lang)}</td>
                    <td>{formTitle(forms, s.formId, lang)}</td>
                    <td>{unitLabel(units, s.orgUnitId, lang, '')}</td>
                    <td><StateBadge state={s.reviewState} /></td>
                    <td><Link className="cw-btn cw-btn--secondary" to={`${BASE}/${encodeURIComponent(s.id)}`} data-testid="review-open">{t('reviewOpen')}</Link></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {next ? <Button variant="secondary" onClick={() => void more()}>{t('loadMore')}</Button> : null}
          <Message ok={false} text={moreError} />
        </>
      ) : null}
    </div>
  );
}

function History({ events }: { events: ReviewEventDto[] }) {
  const { t, lang } = adminStrings.useStrings();
  if (events.length === 0) return <p className="cw-note">{t('reviewNoHistory')}</p>;
  return (
    <ol className="cwc-history" data-testid="review-history">
      {events.map((e) => (
        <li key={e.id} data-testid="review-history-item">
          <div><StateBadge state={e.fromState} /> → <StateBadge state={e.toState} /></div>
          {e.comment ? <p data-testid="review-history-comment">{e.comment}</p> : null}
          <small>{t('reviewBy', { name: e.byName, time: fmtTime(e.at, lang) })}</small>
        </li>
      ))}
    </ol>
  );
}

function Detail({ id, me, units, forms }: { id: string; me: ConsolePageProps['me']; units: OrgUnitDto[]; forms: FormDto[] }) {
  const { t, lang } = adminStrings.useStrings();
  const [reveal, setReveal] = useState(false);
  const sub = useLoad(() => getSubmission(id, reveal), [id, reveal]);
  const def = useLoad(async () => (sub.data ? getFormVersion(sub.data.formId, sub.data.formVersion) : null), [sub.data?.formId, sub.data?.formVersion]);
  const hist = useLoad(() => reviewHistory(id), [id]);
  // revealed corrections only when there are some: each reveal is an audit event of its own
  const revs = useLoad(async () => {
    const masked = await listRevisions(id, false);
    return reveal && masked.length > 0 ? listRevisions(id, true) : masked;
  }, [id, reveal]);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const index = useMemo(() => questionIndex(def.data?.definition ?? {}, lang), [def.data, lang]);

  const decide = async (state: ReviewDecision) => {
    setBusy(true);
    setMsg(null);
    try {
      const ev = await recordReview(id, state, comment.trim() || undefined);
      setComment('');
      setMsg({ ok: true, text: t('reviewDone', { state: t(`state_${ev.toState}`) }) });
      sub.reload();
      hist.reload();
    } catch (err) {
      setMsg({ ok: false, text: errText(err, lang) });
    } finally {
      setBusy(false);
    }
  };

  if (sub.error) return <div><Link to={BASE}>{t('reviewBack')}</Link><LoadError error={sub.error} onRetry={sub.reload} /></div>;
  const s = sub.data;
  return (
    <div data-testid="review-detail">
      <p><Link to={BASE} data-testid="review-back">← {t('reviewBack')}</Link></p>
      {!s ? <p>{t('loading')}</p> : (
        <>
          <h2>{formTitle(forms, s.formId, lang)} <StateBadge state={s.reviewState} /></h2>
          <p className="cw-note">
            {unitLabel(units, s.orgUnitId, lang, '')} · {t('reviewCompleted')} {fmtTime(s.completedAt, lang)} · {t('reviewReceived')} {fmtTime(s.receivedAt, lang)}
            {' · '}{s.deviceId ? t('reviewDevice') : t('reviewStaff')} · {t('reviewRevisionNo')} {s.revision}
          </p>
          <Section title={t('reviewAnswers')} testId="review-answers">
            {s.masked ? <p className="cw-note" data-testid="review-masked">{t('reviewMaskedNote')}</p> : null}
            {reveal && !s.masked ? <p className="cwc-ok" data-testid="review-revealed">{t('reviewRevealed')}</p> : null}
            {canReveal(me) ? (
              reveal
                ? <Button variant="secondary" onClick={() => setReveal(false)}>{t('reviewHide')}</Button>
                : s.masked ? <><Button variant="secondary" onClick={() => setReveal(true)} data-testid="review-reveal">{t('reviewReveal')}</Button> <small>{t('reviewRevealNote')}</small></> : null
            ) : null}
            <table className="cwc-table cwc-answers">
              <thead><tr><th>{t('reviewQuestion')}</th><th>{t('reviewAnswer')}</th></tr></thead>
              <tbody>
                {Object.entries(s.answers).map(([name, value]) => (
                  <tr key={name} data-testid={`answer-${name}`}>
                    <td>{index.get(name)?.title ?? name}</td>
                    <td><pre>{answerText(value, index.get(name), index, lang)}</pre></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>
          {canDecide(me) ? (
            <Section title={t('reviewDecision')} testId="review-decision">
              <label className="cw-field">{t('reviewComment')}
                <textarea value={comment} maxLength={2000} onChange={(e) => setComment(e.target.value)} data-testid="review-comment" />
              </label>
              <div className="cwc-decisions">
                <Button disabled={busy} onClick={() => void decide('approved')} data-testid="review-approve">{t('reviewApprove')}</Button>
                <Button variant="secondary" disabled={busy} onClick={() => void decide('has_issues')} data-testid="review-has-issues">{t('reviewHasIssues')}</Button>
                <Button variant="danger" disabled={busy} onClick={() => void decide('rejected')} data-testid="review-reject">{t('reviewReject')}</Button>
              </div>
              <Message ok={msg?.ok ?? false} text={msg?.text ?? null} testId="review-message" />
            </Section>
          ) : null}
          <Section title={t('reviewHistory')}>
            {hist.error ? <LoadError error={hist.error} onRetry={hist.reload} /> : hist.data ? <History events={hist.data} /> : <p>{t('loading')}</p>}
          </Section>
          {revs.data && revs.data.length ? (
            <Section title={t('reviewRevisions')} testId="review-revisions">
              <ol className="cwc-history">
                {revs.data.map((r) => (
                  <li key={r.revision}>
                    <b>{t('reviewRevision', { n: r.revision })}</b> · {t('reviewBy', { name: r.byName, time: fmtTime(r.at, lang) })}
                    <p>{r.comment}</p>
                    <ul>{r.diff.map((d) => <li key={d.path}>{d.path}:{answerText(d.before, undefined, index, lang)} → {answerText(d.after, undefined, index, lang)}</li>)}</ul>
                  </li>
                ))}
              </ol>
            </Section>
          ) : null}
        </>
      )}
    </div>
  );
}

export default function ReviewPage({ me, rest, query }: ConsolePageProps) {
  const { t } = adminStrings.useStrings();
  const refs = useLoad(async () => {
    const [units, forms] = await Promise.all([listOrgUnits(), listForms()]);
    return { units, forms };
  }, []);
  if (refs.error) return <LoadError error={refs.error} onRetry={refs.reload} />;
  if (!refs.data) return <p>{t('loading')}</p>;
  const id = rest[0];
  return id
    ? <Detail key={id} id={id} me={me} units={refs.data.units} forms={refs.data.forms} />
    : <Queue query={query} units={refs.data.units} forms={refs.data.forms} />;
}
