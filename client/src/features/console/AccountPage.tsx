/** The signed-in user's own account: roles, session expiry, change password (signs out other sessions). */
import { useState, type FormEvent } from 'react';
import { Button } from '../../ui';
import { changePassword, describeError } from '../../api/staff';
import type { ConsolePageProps } from './registry';
import { useSession } from './session';
import { consoleStrings } from './strings';

export default function AccountPage({ me }: ConsolePageProps) {
  const { t, lang } = consoleStrings.useStrings();
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next.length < 10) return setMsg({ ok: false, text: t('accountTooShort') });
    if (next !== again) return setMsg({ ok: false, text: t('accountMismatch') });
    setBusy(true);
    setMsg(null);
    try {
      await changePassword(current, next);
      setCurrent('');
      setNext('');
      setAgain('');
      setMsg({ ok: true, text: t('accountChanged') });
      await session.refresh();
    } catch (err) {
      setMsg({ ok: false, text: describeError(err, lang) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div data-testid="account-page">
      <h2>{t('accountTitle')}</h2>
      <p>{me.user.displayName}({me.user.username})</p>
      <p className="cw-note">{t('accountExpires', { time: new Date(me.expiresAt).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai' }) })}</p>
      <form className="cwc-login" onSubmit={(e) => void submit(e)} noValidate>
        <h3>{t('accountChange')}</h3>
        <label className="cw-field">{t('accountCurrent')}
          <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} data-testid="account-current" />
        </label>
        <label className="cw-field">{t('accountNew')}
          <input type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} data-testid="account-new" />
        </label>
        <label className="cw-field">{t('accountAgain')}
          <input type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} data-testid="account-again" />
        </label>
        {msg ? <p className={msg.ok ? 'cwc-ok' : 'cw-error'} role={msg.ok ? 'status' : 'alert'} data-testid="account-message">{msg.text}</p> : null}
        <Button type="submit" disabled={busy} data-testid="account-submit">{t('accountChange')}</Button>
      </form>
    </div>
  );
}
