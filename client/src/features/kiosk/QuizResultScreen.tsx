import { useI18n } from '../../i18n';
import { Button, Screen } from '../../ui';
import type { QuizReview } from '../../surveyjs';
import { IdlePrompt } from './IdlePrompt';
import { useIdleTimeout } from './useIdle';

/** Knowledge quiz: which answers were right, and the correct answer of each (education). */
export function QuizResultScreen({ review, idleMs, promptMs, onDone }: { review: QuizReview; idleMs: number; promptMs: number; onDone: () => void }) {
  const { t } = useI18n();
  const idle = useIdleTimeout({ enabled: true, idleMs, promptMs, onTimeout: onDone });
  return (
    <Screen title={t('quizResultTitle')} testId="quiz-result">
      <h2 data-testid="quiz-score">{t('quizScore', { correct: review.correct, total: review.total })}</h2>
      <ol className="cw-list">
        {review.items.map((item) => (
          <li key={item.name}>
            <div>{item.title}</div>
            <div className={item.correct ? 'cw-result-right' : 'cw-result-wrong'}>{item.correct ? `✓ ${t('quizRight')}` : `✗ ${t('quizWrong')}`}</div>
            <div>{t('quizCorrectAnswer', { answer: item.correctText })}</div>
          </li>
        ))}
      </ol>
      <Button onClick={onDone} data-testid="quiz-done">{t('quizDone')}</Button>
      {idle.prompting && <IdlePrompt remainingS={idle.remainingS} onContinue={idle.keepAlive} />}
    </Screen>
  );
}
