import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../../i18n';
import { Button, Screen } from '../../ui';
import { SurveyView, quizReview, type QuizReview } from '../../surveyjs';
import { enqueue } from '../../offline/outbox';
import { IdlePrompt } from './IdlePrompt';
import { useIdleTimeout } from './useIdle';
import { sessionItem, type Session } from './session';

/**
 * One villager answering one form. On complete the answers are queued durably BEFORE the screen
 * lets go of them; if queueing fails they stay on screen with a retry.
 */
export function RespondentScreen(props: {
  session: Session;
  title: string;
  idleMs: number;
  promptMs: number;
  showQuizAnswers: boolean;
  onSubmitted: (review: QuizReview | null) => void;
  onAbandon: () => void;
}) {
  const { t } = useI18n();
  const { session } = props;
  const [saving, setSaving] = useState<'idle' | 'saving' | { error: string }>('idle');
  const latest = useRef(props);
  latest.current = props;
  const idle = useIdleTimeout({ enabled: saving === 'idle', idleMs: props.idleMs, promptMs: props.promptMs, onTimeout: props.onAbandon });

  useEffect(() => {
    const model = session.model;
    const item = { current: null as ReturnType<typeof sessionItem> | null };
    const save = async () => {
      if (!item.current) item.current = sessionItem(session, model.data as Record<string, unknown>);
      setSaving('saving');
      try {
        await enqueue(item.current);
      } catch (error) {
        setSaving({ error: String((error as Error)?.message ?? error) });
        return;
      }
      const p = latest.current;
      const review = session.kind === 'knowledge' && p.showQuizAnswers ? quizReview(model) : null;
      p.onSubmitted(review);
    };
    retry.current = save;
    const onComplete = () => void save();
    model.onComplete.add(onComplete);
    return () => model.onComplete.remove(onComplete);
  }, [session]);
  const retry = useRef<() => Promise<void>>(async () => undefined);

  return (
    <Screen
      title={props.title}
      testId="respondent"
      actions={
        <Button variant="header" data-testid="respondent-cancel" onClick={() => { if (window.confirm(t('respondentCancelConfirm'))) props.onAbandon(); }}>
          {t('respondentCancel')}
        </Button>
      }
    >
      <SurveyView model={session.model} />
      {saving === 'saving' && <p role="status">{t('saving')}</p>}
      {typeof saving === 'object' && (
        <div role="alert">
          <p className="cw-error">{t('saveFailed', { message: saving.error })}</p>
          <Button onClick={() => void retry.current()}>{t('pinEnter')}</Button>
        </div>
      )}
      {idle.prompting && <IdlePrompt remainingS={idle.remainingS} onContinue={idle.keepAlive} />}
    </Screen>
  );
}
