/**
 * First start (no user yet): the one-time link the server prints, `…/console/setup#token=…`,
 * opens this page. The token is read from the fragment (never sent to the server in a URL) and
 * removed from the address bar at once (`history.replaceState`, so it is not left in history);
 * the person chooses the admin's username, display name and password, and `POST /auth/setup`
 * creates the system-wide admin and signs them in.
 */
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Button } from '../../ui';
import { ApiError, describeError, setupFirstAdmin } from '../../api/staff';
import { PasswordSchema, UsernameSchema, type MeDto } from '../../../../common/api/access';
import { Link } from './Link';
import { LOGIN_PATH } from './paths';
import { consoleStrings } from './strings';

const PASSWORD_MIN = PasswordSchema.minLength ?? 10;
const PASSWORD_MAX = PasswordSchema.maxLength ?? 200;

/** The setup token in a location fragment such as `#token=abc`, or null. */
export function readSetupToken(hash: string): string | null {
  const token = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash).get('token');
  return token && token.trim() ? token.trim() : null;
}

type Problem =
  | { kind: 'text'; key: 'setupNoToken' | 'setupUsernameInvalid' | 'setupDisplayNameMissing' | 'setupMismatch' | 'setupTokenInvalid' | 'setupAlreadyDone' }
  | { kind: 'length'; key: 'setupPasswordTooShort' | 'setupPasswordTooLong'; n: number }
  | { kind: 'error'; error: unknown };

export function SetupPage({ onSignedIn, langButton }: { onSignedIn: (me: MeDto) => void; langButton: ReactNode }) {
  const { t, lang } = consoleStrings.useStrings();
  // read once; pure (the fragment is removed by the effect below, after the first render)
  const [token, setToken] = useState<string | null>(() => readSetupToken(window.location.hash));
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(token ? null : { kind: 'text', key: 'setupNoToken' });

  useEffect(() => {
    const dropHash = () => {
      if (window.location.hash) window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.search}`);
    };
    // a link pasted into this same tab only changes the fragment: take its token too
    const onHashChange = () => {
      const next = readSetupToken(window.location.hash);
      dropHash();
      if (next) {
        setToken(next);
        setProblem(null);
      }
    };
    dropHash();
    window.addEventListener('hashchange', onHashChange);
    return () => window.removeEventListener('hashchange', onHashChange);
  }, []);

  const check = (): Problem | null => {
    if (!token) return { kind: 'text', key: 'setupNoToken' };
    if (!UsernameSchema.safeParse(username).success) return { kind: 'text', key: 'setupUsernameInvalid' };
    if (!displayName.trim()) return { kind: 'text', key: 'setupDisplayNameMissing' };
    const pw = PasswordSchema.safeParse(password);
    if (!pw.success) {
      return pw.error.issues.some((i) => i.code === 'too_big')
        ? { kind: 'length', key: 'setupPasswordTooLong', n: PASSWORD_MAX }
        : { kind: 'length', key: 'setupPasswordTooShort', n: PASSWORD_MIN };
    }
    if (password !== again) return { kind: 'text', key: 'setupMismatch' };
    return null;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const bad = check();
    setProblem(bad);
    if (bad || !token) return;
    setBusy(true);
    try {
      const me = await setupFirstAdmin({ token, username, displayName, password });
      setPassword('');
      setAgain('');
      onSignedIn(me);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SETUP_TOKEN_INVALID') setProblem({ kind: 'text', key: 'setupTokenInvalid' });
      else if (err instanceof ApiError && err.code === 'SETUP_ALREADY_DONE') setProblem({ kind: 'text', key: 'setupAlreadyDone' });
      else setProblem({ kind: 'error', error: err });
    } finally {
      setBusy(false);
    }
  };

  const message = problem === null ? null
    : problem.kind === 'error' ? describeError(problem.error, lang)
    : problem.kind === 'length' ? t(problem.key, { n: problem.n })
    : t(problem.key);
  const code = problem === null ? undefined
    : problem.kind === 'error' ? (problem.error instanceof ApiError ? problem.error.code : 'UNKNOWN')
    : problem.key === 'setupTokenInvalid' ? 'SETUP_TOKEN_INVALID'
    : problem.key === 'setupAlreadyDone' ? 'SETUP_ALREADY_DONE'
    : problem.key === 'setupNoToken' ? 'NO_TOKEN' : 'INVALID_INPUT';
  const linkDead = !token || code === 'SETUP_TOKEN_INVALID' || code === 'SETUP_ALREADY_DONE';

  return (
    <div className="cw-screen" data-testid="console-setup">
      <header className="cw-header">
        <h1>{t('appName')}</h1>
        {langButton}
      </header>
      <main className="cw-main cwc-login">
        <h2>{t('setupTitle')}</h2>
        <p className="cw-note">{t('setupIntro')}</p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <label className="cw-field">
            {t('setupUsername')}
            <input name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} value={username}
              onChange={(e) => setUsername(e.target.value)} disabled={!token} data-testid="setup-username" />
          </label>
          <label className="cw-field">
            {t('setupDisplayName')}
            <input name="displayName" autoComplete="name" value={displayName}
              onChange={(e) => setDisplayName(e.target.value)} disabled={!token} data-testid="setup-display-name" />
          </label>
          <label className="cw-field">
            {t('setupPassword', { n: PASSWORD_MIN })}
            <input name="password" type="password" autoComplete="new-password" value={password}
              onChange={(e) => setPassword(e.target.value)} disabled={!token} data-testid="setup-password" />
          </label>
          <label className="cw-field">
            {t('setupAgain')}
            <input name="again" type="password" autoComplete="new-password" value={again}
              onChange={(e) => setAgain(e.target.value)} disabled={!token} data-testid="setup-again" />
          </label>
          {message ? <p className="cw-error" role="alert" data-testid="setup-error" data-code={code}>{message}</p> : null}
          <Button type="submit" disabled={busy || !token} data-testid="setup-submit">{busy ? t('setupBusy') : t('setupSubmit')}</Button>
        </form>
        {linkDead ? <p><Link to={LOGIN_PATH} data-testid="setup-to-login">{t('setupToLogin')}</Link></p> : null}
      </main>
    </div>
  );
}
