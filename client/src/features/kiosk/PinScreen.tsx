import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n';
import { Button, Screen } from '../../ui';
import { verifyStaffPin } from './pin';

/** Staff leave kiosk mode (or open census drafts) only with the PIN set at enrolment. */
export function PinScreen({ onOk, onCancel }: { onOk: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [wrong, setWrong] = useState(false);
  const submit = async (e?: FormEvent) => {
    e?.preventDefault();
    if (await verifyStaffPin(pin)) onOk();
    else {
      setWrong(true);
      setPin('');
    }
  };
  const press = (d: string) => setPin((p) => (p.length < 8 ? p + d : p));
  return (
    <Screen title={t('pinTitle')} testId="pin-screen" actions={<Button variant="header" onClick={onCancel}>{t('back')}</Button>}>
      <form onSubmit={submit} className="cw-center">
        <div className="cw-field">
          <input
            type="password" inputMode="numeric" autoComplete="off" aria-label={t('pinTitle')} data-testid="pin-input"
            value={pin} onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))} autoFocus
          />
        </div>
        <div className="cw-pinpad">
          {['1', '2', '3', '4', '5', '6', '7', '8', '9', '', '0', '⌫'].map((d) =>
            d === '' ? <span key="blank" /> : (
              <Button key={d} variant="secondary" onClick={() => (d === '⌫' ? setPin((p) => p.slice(0, -1)) : press(d))}>{d}</Button>
            ),
          )}
        </div>
        {wrong && <p className="cw-error" role="alert">{t('pinWrong')}</p>}
        <Button type="submit" data-testid="pin-ok">{t('pinEnter')}</Button>
      </form>
    </Screen>
  );
}
