import { useState, type FormEvent } from 'react';
import { Button } from '../../ui';
import { describeError, login } from '../../api/staff';
import type { MeDto } from '../../../../common/api/access';
import { consoleStrings } from './strings';

export function LoginPage({ onLoggedIn, expired, langButton }: { onLoggedIn: (me: MeDto) => void; expired: boolean; langButton: React.ReactNode }) {
  const { t, lang } = consoleStrings.useStrings();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(t('loginMissing'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const me = await login(username, password);
      setPassword('');
      onLoggedIn(me);
    } catch (err) {
      setError(describeError(err, lang));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="cw-screen" data-testid="console-login">
      <header className="cw-header">
        <h1>{t('appName')}</h1>
        {langButton}
      </header>
      <main className="cw-main cwc-login">
        <h2>{t('loginTitle')}</h2>
        {expired && !error ? <p className="cw-note" role="status" data-testid="login-expired">{t('loginExpired')}</p> : null}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <label className="cw-field">
            {t('loginUsername')}
            <input name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} value={username}
              onChange={(e) => setUsername(e.target.value)} data-testid="login-username" />
          </label>
          <label className="cw-field">
            {t('loginPassword')}
            <input name="password" type="password" autoComplete="current-password" value={password}
              onChange={(e) => setPassword(e.target.value)} data-testid="login-password" />
          </label>
          {error ? <p className="cw-error" role="alert" data-testid="login-error">{error}</p> : null}
          <Button type="submit" disabled={busy} data-testid="login-submit">{busy ? t('loginBusy') : t('loginSubmit')}</Button>
        </form>
        <p><a href="/">{t('loginToKiosk')}</a></p>
      </main>
    </div>
  );
}
