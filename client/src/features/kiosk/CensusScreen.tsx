import { useCallback, useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n';
import { Button, Screen } from '../../ui';
import { SurveyView } from '../../surveyjs';
import { deleteDraft, listDrafts, saveDraft, submitDraft, type DraftRecord } from '../../offline/drafts';
import { IdlePrompt } from './IdlePrompt';
import { useIdleTimeout } from './useIdle';
import type { Session } from './session';

/** The enumerator's list of unfinished households for one census form. */
export function CensusListScreen(props: { formId: string; title: string; canStartNew: boolean; idleMs: number; promptMs: number; onNew: () => void; onResume: (draftId: string) => void; onBack: () => void }) {
  const { t } = useI18n();
  // household names are listed here: an unattended list goes back to the start screen
  const idle = useIdleTimeout({ enabled: true, idleMs: props.idleMs, promptMs: props.promptMs, onTimeout: props.onBack });
  const [drafts, setDrafts] = useState<DraftRecord[] | null>(null);
  const load = useCallback(() => {
    void listDrafts().then((all) => setDrafts(all.filter((d) => d.formId === props.formId)));
  }, [props.formId]);
  useEffect(load, [load]);
  return (
    <Screen title={`${t('censusTitle')} · ${props.title}`} testId="census-list" actions={<Button variant="header" onClick={props.onBack}>{t('back')}</Button>}>
      <div className="cw-row">
        <Button onClick={props.onNew} disabled={!props.canStartNew} data-testid="census-new">{t('censusNew')}</Button>
      </div>
      <h2>{t('censusDrafts')}</h2>
      {drafts !== null && drafts.length === 0 && <p className="cw-note">{t('censusNoDrafts')}</p>}
      <ul className="cw-list" data-testid="census-drafts">
        {(drafts ?? []).map((d) => (
          <li key={d.id} data-testid="census-draft">
            <div><b>{d.label || t('censusUnnamed')}</b></div>
            <div className="cw-note">{t('censusVersion', { v: d.formVersion })} · {new Date(d.updatedAt).toLocaleString()}</div>
            <div className="cw-row">
              <Button onClick={() => props.onResume(d.id)} data-testid="census-resume">{t('censusResume')}</Button>
              <Button variant="danger" onClick={() => { if (window.confirm(t('censusDeleteConfirm'))) void deleteDraft(d.id).then(load); }}>{t('censusDelete')}</Button>
            </div>
          </li>
        ))}
      </ul>
      {idle.prompting && <IdlePrompt remainingS={idle.remainingS} onContinue={idle.keepAlive} />}
    </Screen>
  );
}

function draftLabel(data: Record<string, unknown>): string {
  const parts = [data.household_code, data.head_name, data.address].filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return parts.slice(0, 2).join(' · ').slice(0, 200);
}

/**
 * Filling one household. "Save draft" (and every page change) stores the answers under the
 * version the household was started in; completing moves the draft into the outbox atomically.
 * When idle, the draft is saved and the screen returns to the start (nothing left on display).
 */
export function CensusFillScreen(props: { session: Session; title: string; idleMs: number; promptMs: number; onSubmitted: () => void; onLeave: () => void; onTimeout: () => void }) {
  const { t } = useI18n();
  const { session } = props;
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef(props);
  latest.current = props;

  const save = useCallback(async () => {
    const data = session.model.data as Record<string, unknown>;
    await saveDraft({ id: session.id, formId: session.formId, formVersion: session.version, orgUnit: session.orgUnit, data, startedAt: session.startedAt, label: draftLabel(data) });
  }, [session]);

  const saveAndLeave = useCallback(() => {
    void save().catch(() => undefined).then(() => latest.current.onLeave());
  }, [save]);
  // unattended: the household is saved as a draft and the screen returns to the start (behind the PIN)
  const saveAndClose = useCallback(() => {
    void save().catch(() => undefined).then(() => latest.current.onTimeout());
  }, [save]);
  const idle = useIdleTimeout({ enabled: true, idleMs: props.idleMs, promptMs: props.promptMs, onTimeout: saveAndClose });

  useEffect(() => {
    const model = session.model;
    const onPage = () => void save().catch(() => undefined);
    const onComplete = async () => {
      try {
        await save();
        await submitDraft(session.id, { answers: model.data as Record<string, unknown>, device: session.deviceId.slice(0, 100) });
        latest.current.onSubmitted();
      } catch (e) {
        setError(String((e as Error)?.message ?? e));
      }
    };
    model.onCurrentPageChanged.add(onPage);
    model.onComplete.add(onComplete);
    return () => {
      model.onCurrentPageChanged.remove(onPage);
      model.onComplete.remove(onComplete);
    };
  }, [session, save]);

  return (
    <Screen
      title={`${props.title} · ${t('censusVersion', { v: session.version })}`}
      testId="census-fill"
      actions={
        <>
          <Button variant="header" data-testid="census-save" onClick={() => void save().then(() => setNote(t('censusDraftSaved')), (e: unknown) => setError(String(e)))}>
            {t('censusSaveDraft')}
          </Button>
          <Button variant="header" onClick={saveAndLeave}>{t('back')}</Button>
        </>
      }
    >
      {note && <p role="status" data-testid="census-note">{note}</p>}
      {error && <p role="alert" className="cw-error">{error}</p>}
      <SurveyView model={session.model} />
      {idle.prompting && <IdlePrompt remainingS={idle.remainingS} onContinue={idle.keepAlive} />}
    </Screen>
  );
}
