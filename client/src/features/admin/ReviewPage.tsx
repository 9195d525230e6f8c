/**
 * The review queue (`/console/review`, filters in the URL) and one submission
 * (`/console/review/<id>`): answers (masked; reviewers may reveal, audited by the server),
 * approve / has issues / reject with a comment, history and corrections.
 */
import { lazy, Suspense, useCallback, useMemo, useRef, useState } from 'react';
import { Button } from '../../ui';
import {
  getFormVersion, getSubmission, listForms, listOrgUnits, listRevisions, listSubmissions, recordReview, reviewHistory, reviseSubmission,
  type FormDto, type FormVersionDto, type OrgUnitDto, type ReviewEventDto, type RevisionDto, type SubmissionViewDto,
} from '../../api/admin';
import { REVIEW_STATES, type ReviewState } from '../../../../common/api/submissions';
import type { ReviewDecision } from '../../../../common/review';
import type { ConsolePageProps } from '../console/registry';
import { setQuery } from '../console/router';
import { Link } from '../console/Link';
import { answerText, changedAnswers, diffPathLabel, questionIndex, type QuestionInfo } from './answers';
import type { AnswerEditorHandle } from '../../surveyjs/answer-editor';
import { errText, fmtTime, LoadError, Message, OrgUnitSelect, Section, unitLabel, useLoad } from './common';
import { adminStrings } from './strings';
import './admin.css';

const BASE = '/console/review';
// the real SurveyJS renderer, loaded only when a reviewer opens the correction form
const AnswerEditor = lazy(() => import('../../surveyjs/answer-editor').then((m) => ({ default: m.AnswerEditor })));
const PAGE = 50;

function formTitle(forms: readonly FormDto[], id: string, lang: 'zh' | 'en'): string {
  const f = forms.find((x) => x.id === id);
  return f ? (lang === 'en' && f.title.en ? f.title.en : f.title.zh) : id;
}

function formKind(forms: readonly FormDto[], id: string): string | null {
  return forms.find((x) => x.id === id)?.kind ?? null;
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

/** The queue's state filter from the URL (`state=received,has_issues`, `state=all`); unknown → the default. */
export function parseStateFilter(param: string | null): ReviewState[] | 'all' {
  if (param === 'all') return 'all';
  const picked = (param ?? '').split(',').filter((x): x is ReviewState => (REVIEW_STATES as readonly string[]).includes(x));
  // in the fixed order of REVIEW_STATES, so one filter has one URL and one select value
  const states = REVIEW_STATES.filter((st) => picked.includes(st));
  return states.length ? states : ['received'];
}

/** Offered in the state select besides each single state: what still needs a reviewer. */
const OPEN_STATES: readonly ReviewState[] = ['received', 'has_issues'];

function Queue({ query, units, forms }: { query: URLSearchParams; units: OrgUnitDto[]; forms: FormDto[] }) {
  const { t, lang } = adminStrings.useStrings();
  const formId = query.get('form') ?? '';
  const orgUnit = query.get('orgUnit') ?? '';
  const states = parseStateFilter(query.get('state'));
  const stateValue = states === 'all' ? 'all' : states.join(',');
  const [pages, setPages] = useState<{ key: string; items: SubmissionViewDto[]; next: string | null }>({ key: '', items: [], next: null });
  const [moreError, setMoreError] = useState<string | null>(null);
  const key = `${formId}|${orgUnit}|${stateValue}`;
  // every filter is the server's (form, org unit subtree, review states), so "load more" pages stay filtered
  const filter = { ...(formId ? { formId } : {}), ...(orgUnit ? { orgUnit } : {}), ...(states === 'all' ? {} : { reviewState: states }), limit: PAGE };
  const first = useLoad(() => listSubmissions(filter), [formId, orgUnit, stateValue]);

  const loaded = pages.key === key && first.data ? [...first.data.items, ...pages.items] : first.data?.items ?? [];
  const next = pages.key === key && pages.items.length ? pages.next : first.data?.nextCursor ?? null;
  const stateOptions: { value: string; label: string }[] = [
    ...REVIEW_STATES.map((st) => ({ value: st, label: t(`state_${st}`) })),
    { value: OPEN_STATES.join(','), label: t('stateOpen') },
    { value: 'all', label: t('all') },
  ];
  if (!stateOptions.some((o) => o.value === stateValue) && states !== 'all') {
    stateOptions.push({ value: stateValue, label: states.map((st) => t(`state_${st}`)).join(' + ') });
  }

  const more = async () => {
    if (!next) return;
    setMoreError(null);
    try {
      const r = await listSubmissions({ ...filter, cursor: next });
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
          <select value={stateValue} onChange={(e) => setQuery({ state: e.target.value })} data-testid="review-filter-state">
            {stateOptions.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
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
          <p className="cw-note" data-testid="review-count">{t(next ? 'reviewLoadedMore' : 'reviewLoaded', { loaded: loaded.length })}</p>
          {loaded.length === 0 ? <p data-testid="review-empty">{t('reviewEmpty')}</p> : (
            <table className="cwc-table" data-testid="review-table">
              <thead><tr><th>{t('reviewCompleted')}</th><th>{t('reviewForm')}</th><th>{t('reviewOrgUnit')}</th><th>{t('reviewState')}</th><th /></tr></thead>
              <tbody>
                {loaded.map((s) => (
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

/**
 * A reviewer's correction of a census submission: the household and member roster in the real
 * SurveyJS form, pre-filled with the current revision's answers (clear values only when the
 * reviewer has revealed them — the server audits that), a required reason; saved as a new revision.
 */
function Correction({ submission, version, onSaved, onCancel }: {
  submission: SubmissionViewDto;
  version: FormVersionDto;
  onSaved: (r: RevisionDto) => void;
  onCancel: () => void;
}) {
  const { t, lang } = adminStrings.useStrings();
  const handle = useRef<AnswerEditorHandle | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const changed = useCallback(() => setDirty(true), []);

  const save = async () => {
    const editor = handle.current;
    if (!editor) return;
    setMsg(null);
    if (!editor.validate()) { setMsg(t('correctInvalid')); return; }
    const changes = changedAnswers(submission.answers, editor.data());
    if (Object.keys(changes).length === 0) { setMsg(t('correctNothing')); return; }
    if (!reason.trim()) { setMsg(t('correctReasonRequired')); return; }
    setBusy(true);
    try {
      onSaved(await reviseSubmission(submission.id, changes, reason.trim()));
    } catch (err) {
      setMsg(errText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="correction-form">
      <p className="cw-note">{t('correctNote', { n: submission.revision + 1 })}</p>
      <Suspense fallback={<p>{t('loading')}</p>}>
        <AnswerEditor definition={version.definition} data={submission.answers} locale={lang === 'en' ? '' : 'zh-cn'} handle={handle} onChange={changed} />
      </Suspense>
      <label className="cw-field">{t('correctReason')}
        <textarea value={reason} maxLength={2000} required onChange={(e) => setReason(e.target.value)} data-testid="correction-reason" />
      </label>
      <div className="cwc-decisions">
        <Button disabled={busy || !dirty} onClick={() => void save()} data-testid="correction-save">{t('correctSave')}</Button>
        <Button variant="secondary" disabled={busy} onClick={onCancel} data-testid="correction-cancel">{t('cancel')}</Button>
      </div>
      <Message ok={false} text={msg} testId="correction-message" />
    </div>
  );
}

function Revisions({ revisions, index }: { revisions: RevisionDto[]; index: Map<string, QuestionInfo> }) {
  const { t, lang } = adminStrings.useStrings();
  return (
    <>
      <p className="cw-note">{t('correctOriginalKept')}</p>
      <ol className="cwc-history">
        {revisions.map((r) => (
          <li key={r.revision} data-testid="revision-item" data-revision={r.revision}>
            <b>{t('reviewRevision', { n: r.revision })}</b> · {t('reviewBy', { name: r.byName, time: fmtTime(r.at, lang) })}
            <p data-testid="revision-comment">{t('correctReasonShown')}{r.comment}</p>
            <table className="cwc-table">
              <thead><tr><th>{t('reviewQuestion')}</th><th>{t('correctBefore')}</th><th>{t('correctAfter')}</th></tr></thead>
              <tbody>
                {r.diff.map((d) => {
                  const field = index.get(d.path.replace(/^.*\]\./, ''));
                  return (
                    <tr key={d.path} data-testid="revision-diff" data-path={d.path}>
                      <td>{diffPathLabel(d.path, index, lang)}</td>
                      <td data-testid="revision-before"><del>{answerText(d.before, field, index, lang)}</del></td>
                      <td data-testid="revision-after"><ins>{answerText(d.after, field, index, lang)}</ins></td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </li>
        ))}
      </ol>
    </>
  );
}

function Detail({ id, me, units, forms }: { id: string; me: ConsolePageProps['me']; units: OrgUnitDto[]; forms: FormDto[] }) {
  const { t, lang } = adminStrings.useStrings();
  const [reveal, setReveal] = useState(false);
  const [correcting, setCorrecting] = useState(false);
  const [corrected, setCorrected] = useState<string | null>(null);
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
            {' · '}{s.deviceId ? t('reviewDevice') : t('reviewStaff')} · {t('reviewRevisionNo')} <span data-testid="review-revision-no">{s.revision}</span>
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
          {canDecide(me) && formKind(forms, s.formId) === 'census' ? (
            <Section title={t('correctTitle')} testId="review-correction">
              {corrected ? <p className="cwc-ok" data-testid="correction-saved">{corrected}</p> : null}
              {s.masked ? (
                <p className="cw-note" data-testid="correction-needs-reveal">{canReveal(me) ? t('correctRevealFirst') : t('correctReviewersOnly')}</p>
              ) : correcting && def.data ? (
                <Correction
                  submission={s}
                  version={def.data}
                  onCancel={() => setCorrecting(false)}
                  onSaved={(r) => {
                    setCorrecting(false);
                    setCorrected(t('correctSaved', { n: r.revision }));
                    sub.reload();
                    revs.reload();
                  }}
                />
              ) : (
                <Button variant="secondary" disabled={!def.data} onClick={() => { setCorrected(null); setCorrecting(true); }} data-testid="correction-open">{t('correctOpen')}</Button>
              )}
            </Section>
          ) : null}
          {revs.data && revs.data.length ? (
            <Section title={t('reviewRevisions')} testId="review-revisions">
              <Revisions revisions={revs.data} index={index} />
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
