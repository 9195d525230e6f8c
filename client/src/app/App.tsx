/**
 * The composition root of the client: providers, the in-memory screen router and layout.
 *
 * Routing is a state machine in React state, never in the URL or history: a respondent's steps
 * are not history entries, so the back button cannot bring anything of theirs back. Staff mode
 * is `React.lazy`, so it is not part of the kiosk's first load; so is the staff console, which the
 * page shows instead of the kiosk when it is opened under `/console/...`.
 */
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { I18nProvider, pickText, useI18n } from '../i18n';
import { Button, Screen } from '../ui';
import { initSpeech, type QuizReview } from '../surveyjs';
import { requestPersistence } from '../offline/db';
import { getFormVersion } from '../offline/form-versions';
import { loadDraft } from '../offline/drafts';
import {
  CensusFillScreen, CensusListScreen, EnrolScreen, GroupScreen, HomeScreen, needsGroupChoice, PinScreen, QuizResultScreen, RespondentScreen, ThankYouScreen,
  closeSession, loadDevice, nudgeSync, openSession, refreshCounts, refreshDevice, startSync, stopSync,
  type DeviceState, type FormTile, type Session,
} from '../features/kiosk';

const StaffScreen = lazy(() => import('../features/kiosk/staff/StaffScreen'));
/** The staff console (`/console/...`, URL-routed, cookie session): never part of the kiosk's first load. */
const ConsoleApp = lazy(() => import('../features/console'));

/** True when the page was opened under `/console`: the staff console instead of the kiosk. */
export function isConsolePath(pathname: string): boolean {
  return pathname === '/console' || pathname.startsWith('/console/');
}

type ScreenState =
  | { name: 'loading' }
  | { name: 'enrol' }
  | { name: 'home' }
  | { name: 'respond'; session: Session; title: string }
  | { name: 'quiz-result'; review: QuizReview }
  | { name: 'thanks' }
  | { name: 'pin'; then: { name: 'staff' } | { name: 'census'; tile: FormTile } }
  | { name: 'staff' }
  | { name: 'census'; tile: FormTile }
  | { name: 'census-fill'; session: Session; tile: FormTile }
  | { name: 'group'; tile: FormTile; then: 'respond' | 'census' };

function LangButton() {
  const { t, toggle } = useI18n();
  return <Button variant="header" onClick={toggle} data-testid="lang-switch">{t('langSwitch')}</Button>;
}

function Kiosk() {
  const { t, lang } = useI18n();
  const [device, setDevice] = useState<DeviceState | null>(null);
  const [screen, setScreenState] = useState<ScreenState>({ name: 'loading' });
  const [configVersion, setConfigVersion] = useState(0);
  const deviceRef = useRef<DeviceState | null>(null);
  deviceRef.current = device;
  const sessionRef = useRef<Session | null>(null);

  /** Every screen change goes through here: leaving a session always disposes its model. */
  const go = useCallback((next: ScreenState) => {
    const nextSession = next.name === 'respond' || next.name === 'census-fill' ? next.session : null;
    if (sessionRef.current && sessionRef.current !== nextSession) closeSession(sessionRef.current);
    sessionRef.current = nextSession;
    setScreenState(next);
  }, []);

  const refresh = useCallback(async () => {
    const d = deviceRef.current;
    if (!d || navigator.onLine === false) return;
    try {
      const updated = await refreshDevice(d);
      setDevice((cur) => (cur ? { ...updated, settings: cur.settings } : cur));
      setConfigVersion((v) => v + 1);
    } catch {
      /* offline or server down: keep the cached configuration */
    }
  }, []);

  useEffect(() => {
    initSpeech();
    void requestPersistence();
    void loadDevice().then((d) => {
      setDevice(d);
      go(d ? { name: 'home' } : { name: 'enrol' });
    });
  }, [go]);

  useEffect(() => {
    if (!device) return undefined;
    startSync(() => deviceRef.current?.token ?? null);
    void refreshCounts().catch(() => undefined);
    return undefined;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- start once per enrolment
  }, [device?.token]);

  useEffect(() => {
    if (!device?.token) return undefined;
    void refresh();
    const onOnline = () => void refresh();
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [device?.token, refresh]);

  // Closing or hiding the page in the middle of a respondent wipes them (no bfcache restore).
  useEffect(() => {
    const onHide = () => {
      const s = sessionRef.current;
      if (s && s.kind !== 'census') go({ name: 'home' });
    };
    window.addEventListener('pagehide', onHide);
    return () => window.removeEventListener('pagehide', onHide);
  }, [go]);

  const open = (tile: FormTile, orgUnit?: string) => {
    if (!device || !tile.version) return;
    if (tile.form.kind === 'census') return go({ name: 'pin', then: { name: 'census', tile } });
    if (orgUnit === undefined && needsGroupChoice(device.config)) return go({ name: 'group', tile, then: 'respond' });
    const session = openSession({
      record: tile.version, kind: tile.form.kind, orgUnit: orgUnit ?? device.config.orgUnit.id, deviceId: device.config.id, readAloudLabel: t('readAloud'),
    });
    go({ name: 'respond', session, title: pickText(tile.form.title, lang) });
  };

  const startCensus = async (tile: FormTile, draftId: string | null, orgUnit?: string) => {
    if (!device) return;
    if (draftId) {
      const loaded = await loadDraft(draftId);
      if (!loaded?.definition) return;
      const session = openSession({
        record: loaded.definition, kind: 'census', orgUnit: loaded.draft.orgUnit, deviceId: device.config.id, readAloudLabel: t('readAloud'),
        id: loaded.draft.id, startedAt: loaded.draft.startedAt, data: loaded.draft.data,
      });
      return go({ name: 'census-fill', session, tile });
    }
    const record = tile.version ?? null;
    if (!record) return;
    if (orgUnit === undefined && needsGroupChoice(device.config)) return go({ name: 'group', tile, then: 'census' });
    const fresh = await getFormVersion(record.formId, record.version);
    if (!fresh) return;
    const session = openSession({ record: fresh, kind: 'census', orgUnit: orgUnit ?? device.config.orgUnit.id, deviceId: device.config.id, readAloudLabel: t('readAloud') });
    go({ name: 'census-fill', session, tile });
  };

  const langButton = <LangButton />;
  const settings = device?.settings;
  const idleMs = (settings?.idleSeconds ?? 180) * 1000;
  const promptMs = (settings?.promptSeconds ?? 30) * 1000;

  switch (screen.name) {
    case 'loading':
      return <Screen title={t('appName')}><p>{t('loading')}</p></Screen>;
    case 'enrol':
      return <EnrolScreen langButton={langButton} onEnrolled={(d) => { setDevice(d); go({ name: 'home' }); }} />;
    case 'home':
      return device ? (
        <HomeScreen config={device.config} configVersion={configVersion} langButton={langButton} onOpen={(tile) => open(tile)} onStaff={() => go({ name: 'pin', then: { name: 'staff' } })} />
      ) : null;
    case 'respond':
      return (
        <RespondentScreen
          key={screen.session.id} session={screen.session} title={screen.title} idleMs={idleMs} promptMs={promptMs}
          showQuizAnswers={settings?.showQuizAnswers ?? true}
          onSubmitted={(review) => {
            nudgeSync();
            go(review ? { name: 'quiz-result', review } : { name: 'thanks' });
          }}
          onAbandon={() => go({ name: 'home' })}
        />
      );
    case 'quiz-result':
      return <QuizResultScreen review={screen.review} idleMs={idleMs} promptMs={promptMs} onDone={() => go({ name: 'thanks' })} />;
    case 'thanks':
      return <ThankYouScreen seconds={settings?.thankYouSeconds ?? 8} onDone={() => go({ name: 'home' })} />;
    case 'pin':
      return <PinScreen onOk={() => go(screen.then)} onCancel={() => go({ name: 'home' })} />;
    case 'staff':
      return device ? (
        <Suspense fallback={<Screen title={t('staffTitle')}><p>{t('loading')}</p></Screen>}>
          <StaffScreen
            device={device} idleMs={Math.max(idleMs, 120_000)} promptMs={promptMs}
            onDevice={(d) => { setDevice(d); setConfigVersion((v) => v + 1); }}
            onLeave={() => go({ name: 'home' })}
            onUnenrolled={() => { stopSync(); setDevice(null); go({ name: 'enrol' }); }}
          />
        </Suspense>
      ) : null;
    case 'census':
      return (
        <CensusListScreen
          formId={screen.tile.form.formId} title={pickText(screen.tile.form.title, lang)} canStartNew={!!screen.tile.version} idleMs={idleMs} promptMs={promptMs}
          onNew={() => void startCensus(screen.tile, null)} onResume={(id) => void startCensus(screen.tile, id)} onBack={() => go({ name: 'home' })}
        />
      );
    case 'group':
      return device ? (
        <GroupScreen
          config={device.config} title={pickText(screen.tile.form.title, lang)}
          onPick={(id) => (screen.then === 'respond' ? open(screen.tile, id) : void startCensus(screen.tile, null, id))}
          onCancel={() => go(screen.then === 'respond' ? { name: 'home' } : { name: 'census', tile: screen.tile })}
        />
      ) : null;
    case 'census-fill':
      return (
        <CensusFillScreen
          key={screen.session.id} session={screen.session} title={pickText(screen.tile.form.title, lang)} idleMs={idleMs} promptMs={promptMs}
          onSubmitted={() => { nudgeSync(); go({ name: 'thanks' }); }}
          onLeave={() => go({ name: 'census', tile: screen.tile })}
          onTimeout={() => go({ name: 'home' })}
        />
      );
  }
}

export function App() {
  const consoleMode = typeof window !== 'undefined' && isConsolePath(window.location.pathname);
  return (
    <I18nProvider>
      {consoleMode ? (
        <Suspense fallback={<Screen title="村问"><p>…</p></Screen>}>
          <ConsoleApp />
        </Suspense>
      ) : <Kiosk />}
    </I18nProvider>
  );
}
