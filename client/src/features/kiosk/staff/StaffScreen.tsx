/**
 * Staff mode (behind the PIN, lazy-loaded): outbox counts, last sync, sync now, export/import,
 * rejected and conflicting items with their reasons, kiosk settings, device and app version.
 */
import { useCallback, useEffect, useState, type ChangeEvent } from 'react';
import { useI18n, pickText } from '../../../i18n';
import { Button, Screen, Stat } from '../../../ui';
import { errorMessage } from '../../../api';
import { discard, exportOutbox, importOutbox, listOutbox, outboxFileName, retryRejected, type OutboxRecord } from '../../../offline/outbox';
import { requestPersistence, type KioskSettings } from '../../../offline/db';
import { refreshCounts, subscribe, syncNow, type SyncSnapshot } from '../sync-service';
import { refreshDevice, saveSettings, unenrol, type DeviceState } from '../device';
import { IdlePrompt } from '../IdlePrompt';
import { useIdleTimeout } from '../useIdle';

declare const __CUNWEN_VERSION__: string;

export default function StaffScreen(props: { device: DeviceState; idleMs: number; promptMs: number; onDevice: (d: DeviceState) => void; onLeave: () => void; onUnenrolled: () => void }) {
  const { t, lang } = useI18n();
  // staff mode left unattended falls back to kiosk mode
  const idle = useIdleTimeout({ enabled: true, idleMs: props.idleMs, promptMs: props.promptMs, onTimeout: props.onLeave });
  const [snap, setSnap] = useState<SyncSnapshot | null>(null);
  const [problems, setProblems] = useState<OutboxRecord[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [settings, setSettings] = useState<KioskSettings>(props.device.settings);
  const [persisted, setPersisted] = useState<boolean | null>(null);

  const reload = useCallback(async () => {
    await refreshCounts();
    const [rejected, conflict] = await Promise.all([listOutbox('rejected'), listOutbox('conflict')]);
    setProblems([...rejected, ...conflict]);
  }, []);

  useEffect(() => subscribe(setSnap), []);
  useEffect(() => {
    void reload();
    void requestPersistence().then((r) => setPersisted(r.persisted));
  }, [reload]);

  /** Runs a sync and shows its outcome after `prefix` (e.g. an import report). */
  const doSync = async (prefix = '') => {
    setBusy(true);
    setMessage(prefix + t('staffSyncing'));
    try {
      const r = await syncNow();
      let text: string;
      if (r.outcome === 'offline') text = t('staffSyncOffline');
      else if (r.outcome === 'blocked') text = t('staffSyncBlocked');
      else text = t('staffSyncResult', { stored: r.stored, duplicate: r.duplicate, rejected: r.rejected, remaining: r.remaining }) + (r.error ? ` — ${errorMessage(r.error.code, lang, r.error.message)}` : '');
      setMessage(prefix + text);
    } finally {
      setBusy(false);
      await reload();
    }
  };

  const doExport = async () => {
    const file = await exportOutbox();
    const blob = new Blob([JSON.stringify(file, null, 1)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = outboxFileName(file.exportedAt);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };

  const doImport = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    e.target.value = '';
    if (!f) return;
    try {
      const report = await importOutbox(JSON.parse(await f.text()) as unknown);
      const summary = t('staffImportResult', { imported: report.imported, skipped: report.skipped, invalid: report.invalid.length });
      setMessage(summary);
      await reload();
      if (report.imported > 0 && navigator.onLine !== false) await doSync(`${summary} · `);
    } catch (err) {
      setMessage(t('errUnknown', { message: String((err as Error)?.message ?? err) }));
    }
  };

  const doSaveSettings = async () => {
    const clean: KioskSettings = {
      idleSeconds: Math.max(1, Math.round(settings.idleSeconds)),
      promptSeconds: Math.max(1, Math.round(settings.promptSeconds)),
      thankYouSeconds: Math.max(1, Math.round(settings.thankYouSeconds)),
      showQuizAnswers: settings.showQuizAnswers,
    };
    await saveSettings(clean);
    props.onDevice({ ...props.device, settings: clean });
    setMessage(t('staffSaved'));
  };

  const doRefresh = async () => {
    try {
      props.onDevice(await refreshDevice(props.device));
      setMessage(t('staffRefreshed'));
    } catch (err) {
      const code = (err as { code?: string }).code;
      setMessage(code ? errorMessage(code, lang, String(err)) : t('errNetwork'));
    }
  };

  const c = snap?.counts;
  const { config } = props.device;
  return (
    <Screen title={t('staffTitle')} testId="staff" actions={<Button variant="header" onClick={props.onLeave} data-testid="staff-leave">{t('staffLeave')}</Button>}>
      <div className="cw-stats">
        <Stat label={t('staffQueued')} value={c?.queued ?? '…'} testId="count-queued" />
        <Stat label={t('staffSent')} value={c?.sentTotal ?? '…'} testId="count-sent" />
        <Stat label={t('staffRejected')} value={c?.rejected ?? '…'} testId="count-rejected" />
        <Stat label={t('staffConflict')} value={c?.conflict ?? '…'} testId="count-conflict" />
      </div>
      <p>
        {t('staffLastSync')}: <span data-testid="last-sync">{snap?.lastSyncAt ? new Date(snap.lastSyncAt).toLocaleString() : t('staffNever')}</span>
      </p>
      <div className="cw-row">
        <Button onClick={() => void doSync()} disabled={busy} data-testid="sync-now">{busy ? t('staffSyncing') : t('staffSyncNow')}</Button>
        <Button variant="secondary" onClick={() => void doExport()} data-testid="export">{t('staffExport')}</Button>
        <label className="cw-btn cw-btn--secondary" style={{ display: 'inline-flex', alignItems: 'center' }}>
          {t('staffImport')}
          <input type="file" accept="application/json,.json" hidden onChange={(e) => void doImport(e)} data-testid="import" />
        </label>
        <Button variant="secondary" onClick={() => void doRefresh()}>{t('staffRefresh')}</Button>
      </div>
      {message && <p role="status" data-testid="staff-message">{message}</p>}

      {problems.length > 0 && (
        <>
          <h2>{t('staffRejectedList')}</h2>
          <ul className="cw-list" data-testid="problem-list">
            {problems.map((r) => (
              <li key={r.id} data-testid="problem-item">
                <div><b>{r.state === 'rejected' ? t('staffRejected') : t('staffConflict')}</b> · {t('staffSubmittedAt')}: {new Date(r.item.completedAt).toLocaleString()}</div>
                <div>
                  {t('staffReason')}: <span data-testid="problem-reason">{r.lastError ? errorMessage(r.lastError.code, lang, r.lastError.message) : ''}</span>
                  {r.lastError && <span className="cw-note"> ({r.lastError.code})</span>}
                </div>
                {r.lastError?.problems?.map((p, i) => <div key={i} className="cw-note">{p.question ? `${p.question}: ` : ''}{p.message}</div>)}
                <div className="cw-row">
                  {r.state === 'rejected' && <Button variant="secondary" onClick={() => void retryRejected(r.id).then(reload)}>{t('staffRetry')}</Button>}
                  <Button variant="danger" onClick={() => { if (window.confirm(t('staffDiscardConfirm'))) void discard(r.id).then(reload); }}>{t('staffDiscard')}</Button>
                </div>
              </li>
            ))}
          </ul>
        </>
      )}

      <h2>{t('staffSettings')}</h2>
      <label className="cw-field">
        {t('staffIdleSeconds')}
        <input type="number" min={1} data-testid="setting-idle" value={settings.idleSeconds} onChange={(e) => setSettings({ ...settings, idleSeconds: Number(e.target.value) })} />
      </label>
      <label className="cw-field">
        {t('staffPromptSeconds')}
        <input type="number" min={1} data-testid="setting-prompt" value={settings.promptSeconds} onChange={(e) => setSettings({ ...settings, promptSeconds: Number(e.target.value) })} />
      </label>
      <label className="cw-check">
        <input type="checkbox" data-testid="setting-answers" checked={settings.showQuizAnswers} onChange={(e) => setSettings({ ...settings, showQuizAnswers: e.target.checked })} />
        {t('staffShowAnswers')}
      </label>
      <Button onClick={() => void doSaveSettings()} data-testid="settings-save">{t('staffSave')}</Button>

      <h2>{t('staffDevice')}</h2>
      <p>
        {config.label} · {pickText(config.orgUnit.name, lang)} · <code>{config.id}</code>
        <br />
        {t('staffVersion')}: <code data-testid="app-version">{__CUNWEN_VERSION__}</code>
        <br />
        {t('staffStorage')}: {persisted === null ? '…' : persisted ? t('staffStorageYes') : t('staffStorageNo')}
      </p>
      <Button variant="danger" onClick={() => { if (window.confirm(t('staffResetConfirm'))) void unenrol().then(props.onUnenrolled); }}>{t('staffReset')}</Button>
      {idle.prompting && <IdlePrompt remainingS={idle.remainingS} onContinue={idle.keepAlive} />}
    </Screen>
  );
}
