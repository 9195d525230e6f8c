import { lazy, Suspense, useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { Button, Screen } from '../../ui';
import { ApiError, errorMessage } from '../../api';
import { EnrolmentCodeSchema } from '../../../../common/api/devices';
import { enrol, type DeviceState } from './device';
import { PIN_PATTERN } from './pin';

// The camera scanner (and jsqr) load only when staff tap "scan".
const QrScanner = lazy(() => import('./QrScanner'));

function canScan(): boolean {
  return typeof navigator !== 'undefined' && !!navigator.mediaDevices && typeof navigator.mediaDevices.getUserMedia === 'function';
}

/** First run: enrolment code (typed or scanned) + staff PIN → device credential. */
export function EnrolScreen({ onEnrolled, langButton }: { onEnrolled: (state: DeviceState) => void; langButton: React.ReactNode }) {
  const { t, lang } = useI18n();
  const [code, setCode] = useState('');
  const [pin, setPin] = useState('');
  const [pin2, setPin2] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [scanning, setScanning] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (!EnrolmentCodeSchema.safeParse(code).success) return setError(t('enrolCodeInvalid'));
    if (!PIN_PATTERN.test(pin)) return setError(t('enrolPinInvalid'));
    if (pin !== pin2) return setError(t('enrolPinMismatch'));
    if (navigator.onLine === false) return setError(t('enrolOffline'));
    setBusy(true);
    try {
      const normalized = EnrolmentCodeSchema.parse(code);
      onEnrolled(await enrol(normalized, pin));
    } catch (err) {
      setError(err instanceof ApiError ? errorMessage(err.code, lang, err.message) : t('errUnknown', { message: String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Screen title={t('enrolTitle')} testId="enrol" actions={langButton}>
      <p>{t('enrolIntro')}</p>
      <form onSubmit={submit}>
        <label className="cw-field">
          {t('enrolCode')}
          <input data-testid="enrol-code" autoComplete="off" autoCapitalize="characters" spellCheck={false} value={code} onChange={(e) => setCode(e.target.value)} />
        </label>
        {canScan() && (
          <div className="cw-row">
            <Button variant="secondary" onClick={() => setScanning((s) => !s)}>{scanning ? t('enrolScanStop') : t('enrolScan')}</Button>
          </div>
        )}
        {scanning && (
          <Suspense fallback={<p>{t('loading')}</p>}>
            <QrScanner onCode={(c) => { setCode(c); setScanning(false); }} unavailableText={t('enrolScanUnavailable')} />
          </Suspense>
        )}
        <label className="cw-field">
          {t('enrolPin')}
          <input data-testid="enrol-pin" type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />
        </label>
        <label className="cw-field">
          {t('enrolPinAgain')}
          <input data-testid="enrol-pin2" type="password" inputMode="numeric" autoComplete="off" value={pin2} onChange={(e) => setPin2(e.target.value)} />
        </label>
        {error && <p className="cw-error" role="alert" data-testid="enrol-error">{error}</p>}
        <Button type="submit" disabled={busy} data-testid="enrol-submit">{busy ? t('enrolDownloading') : t('enrolSubmit')}</Button>
      </form>
    </Screen>
  );
}
