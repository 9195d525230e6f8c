import { useI18n } from '../../i18n';
import { Button, Dialog } from '../../ui';

/** "还在吗? / Still there?" with a countdown; touching anywhere continues. */
export function IdlePrompt({ remainingS, onContinue }: { remainingS: number; onContinue: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog title={t('idleTitle')} testId="idle-prompt">
      <p>{t('idleBody', { s: remainingS })}</p>
      <Button onClick={onContinue} data-testid="idle-continue">{t('idleContinue')}</Button>
    </Dialog>
  );
}
