import { useEffect } from 'react';
import { useI18n } from '../../i18n';
import { Button, Screen } from '../../ui';

/** After submit: thanks, then an automatic reset to the start screen. */
export function ThankYouScreen({ seconds, onDone }: { seconds: number; onDone: () => void }) {
  const { t } = useI18n();
  useEffect(() => {
    const timer = window.setTimeout(onDone, seconds * 1000);
    return () => window.clearTimeout(timer);
  }, [seconds, onDone]);
  return (
    <Screen title={t('appName')} testId="thanks">
      <div className="cw-center">
        <h2>{t('thanksTitle')}</h2>
        <p>{t('thanksBody')}</p>
        <Button onClick={onDone} data-testid="thanks-back">{t('thanksBack')}</Button>
      </div>
    </Screen>
  );
}
