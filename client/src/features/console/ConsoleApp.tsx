/**
 * The staff console shell (`/console/...`), lazily loaded by client/src/app/App.tsx: session
 * (GET /auth/me, login, logout, back to the login page on any 401), the navigation bar built
 * from the route registry, and each registered page loaded on first visit.
 */
import { Component, lazy, Suspense, useCallback, useEffect, useMemo, useState, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { useI18n } from '../../i18n';
import { Button } from '../../ui';
import { ApiError, describeError, getMe, logout as apiLogout, onUnauthorized } from '../../api/staff';
import type { MeDto } from '../../../../common/api/access';
import { canOpen, rolesOf, type ConsolePageProps, type ConsoleRoute } from './registry';
import { consoleRoutes } from './routes';
import { navigate, useLocation } from './router';
import { SessionContext, type ConsoleSession } from './session';
import { LoginPage } from './LoginPage';
import { SetupPage } from './SetupPage';
import { LOGIN_PATH, SETUP_PATH } from './paths';
import { Link } from './Link';
import { consoleStrings } from './strings';
import './console.css';

export { LOGIN_PATH, SETUP_PATH } from './paths';

const pages = new Map<string, LazyExoticComponent<ComponentType<ConsolePageProps>>>();
function pageFor(route: ConsoleRoute) {
  let page = pages.get(route.path);
  if (!page) {
    page = lazy(route.load);
    pages.set(route.path, page);
  }
  return page;
}

class PageBoundary extends Component<{ children: ReactNode; fallback: (retry: () => void) => ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? this.props.fallback(() => this.setState({ failed: false })) : this.props.children;
  }
}

function LangButton() {
  const { toggle } = useI18n();
  const { t } = consoleStrings.useStrings();
  return <Button variant="header" onClick={toggle} data-testid="lang-switch">{t('langSwitch')}</Button>;
}

type SessionState = { status: 'loading' } | { status: 'out'; expired: boolean; error?: string } | { status: 'in'; me: MeDto };

function loginUrl(next: string, expired: boolean): string {
  const q = new URLSearchParams();
  if (next && next !== LOGIN_PATH && next.startsWith('/console')) q.set('next', next);
  if (expired) q.set('expired', '1');
  const s = q.toString();
  return s ? `${LOGIN_PATH}?${s}` : LOGIN_PATH;
}

export default function ConsoleApp() {
  const { t, lang } = consoleStrings.useStrings();
  const location = useLocation();
  const [session, setSession] = useState<SessionState>({ status: 'loading' });

  useEffect(() => {
    document.title = t('appName');
  }, [t]);

  useEffect(() => {
    let live = true;
    getMe().then(
      (me) => live && setSession(me ? { status: 'in', me } : { status: 'out', expired: false }),
      (err: unknown) => live && setSession({ status: 'out', expired: false, error: describeError(err, lang) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per mount
  }, []);

  // any 401 from a page: the session is gone → the login page, coming back here afterwards
  useEffect(
    () => onUnauthorized((error: ApiError) => {
      const here = `${window.location.pathname}${window.location.search}`;
      setSession({ status: 'out', expired: error.code === 'SESSION_EXPIRED' || error.code === 'UNAUTHENTICATED' });
      navigate(loginUrl(here, true), { replace: true });
    }),
    [],
  );

  // keep the URL consistent with the session (signed out, only the login and first-admin setup pages)
  useEffect(() => {
    if (session.status === 'out' && location.pathname !== LOGIN_PATH && location.pathname !== SETUP_PATH) {
      navigate(loginUrl(`${location.pathname}${location.search}`, false), { replace: true });
    } else if (session.status === 'in' && location.pathname === SETUP_PATH) {
      // just created (or already signed in): the console home; replacing the entry also drops any #token
      navigate('/console', { replace: true });
    } else if (session.status === 'in' && location.pathname === LOGIN_PATH) {
      const next = location.query.get('next');
      navigate(next && next.startsWith('/console') && !next.startsWith(LOGIN_PATH) ? next : '/console', { replace: true });
    }
  }, [session.status, location.pathname, location.search, location.query]);

  const logout = useCallback(async () => {
    try {
      await apiLogout();
    } catch {
      /* the session may already be gone; the cookie is cleared either way on the next login */
    }
    setSession({ status: 'out', expired: false });
    navigate(LOGIN_PATH, { replace: true });
  }, []);

  const refresh = useCallback(async () => {
    const me = await getMe();
    setSession(me ? { status: 'in', me } : { status: 'out', expired: true });
  }, []);

  const ctx = useMemo<ConsoleSession | null>(
    () => (session.status === 'in' ? { me: session.me, logout, refresh } : null),
    [session, logout, refresh],
  );

  if (session.status === 'loading') return <div className="cw-screen"><main className="cw-main"><p>{t('loading')}</p></main></div>;
  if ((session.status === 'out' || !ctx) && location.pathname === SETUP_PATH) {
    return <SetupPage langButton={<LangButton />} onSignedIn={(me) => setSession({ status: 'in', me })} />;
  }
  if (session.status === 'out' || !ctx) {
    return (
      <LoginPage
        expired={session.status === 'out' && (session.expired || location.query.get('expired') === '1')}
        langButton={<LangButton />}
        onLoggedIn={(me) => setSession({ status: 'in', me })}
      />
    );
  }
  return (
    <SessionContext.Provider value={ctx}>
      <Layout me={ctx.me} onLogout={() => void logout()} />
    </SessionContext.Provider>
  );
}

function Layout({ me, onLogout }: { me: MeDto; onLogout: () => void }) {
  const { t, lang } = consoleStrings.useStrings();
  const location = useLocation();
  const roles = rolesOf(me);
  const nav = consoleRoutes.navFor(roles);
  const match = consoleRoutes.match(location.pathname);
  const isHome = location.pathname === '/console' || location.pathname === '/console/';

  let body: ReactNode;
  if (isHome) {
    body = (
      <section data-testid="console-home">
        <h2>{t('homeTitle', { name: me.user.displayName })}</h2>
        <p className="cw-note">{me.user.roles.map((r) => t(`role_${r.role}`)).filter((v, i, a) => a.indexOf(v) === i).join(' · ')}</p>
        {nav.length ? (
          <>
            <p>{t('homeIntro')}</p>
            <div className="cwc-tiles">
              {nav.map((r) => <Link key={r.path} className="cwc-tile" to={r.path}>{lang === 'en' && r.label.en ? r.label.en : r.label.zh}</Link>)}
            </div>
          </>
        ) : <p>{t('homeNothing')}</p>}
      </section>
    );
  } else if (!match) {
    body = <p className="cw-error" data-testid="console-not-found">{t('notFound')}</p>;
  } else if (!canOpen(match.route, roles)) {
    body = <p className="cw-error" data-testid="console-forbidden">{t('forbidden')}</p>;
  } else {
    const Page = pageFor(match.route);
    body = (
      <PageBoundary key={match.route.path} fallback={(retry) => (
        <div><p className="cw-error">{t('loadFailed')}</p><Button onClick={retry}>{t('retry')}</Button></div>
      )}>
        <Suspense fallback={<p>{t('loading')}</p>}>
          <Page me={me} rest={match.rest} query={location.query} navigate={navigate} />
        </Suspense>
      </PageBoundary>
    );
  }

  return (
    <div className="cw-screen cwc" data-testid="console">
      <header className="cw-header cwc-header">
        <h1><Link to="/console" className="cwc-brand">{t('appName')}</Link></h1>
        <Link to="/console/account" className="cwc-user" title={t('account')} data-testid="console-user">{t('signedInAs', { name: me.user.displayName })}</Link>
        <LangButton />
        <Button variant="header" onClick={onLogout} data-testid="logout">{t('logout')}</Button>
      </header>
      <nav className="cwc-nav" aria-label={t('appName')}>
        <Link to="/console" aria-current={isHome ? 'page' : undefined}>{t('home')}</Link>
        {nav.map((r) => (
          <Link key={r.path} to={r.path} aria-current={match?.route.path === r.path ? 'page' : undefined} data-testid={`nav-${r.path.slice('/console/'.length).replace(/\//g, '-')}`}>
            {lang === 'en' && r.label.en ? r.label.en : r.label.zh}
          </Link>
        ))}
      </nav>
      <main className="cw-main cwc-main">{body}</main>
    </div>
  );
}
