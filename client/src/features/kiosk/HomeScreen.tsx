import { useEffect, useState } from 'react';
import { pickText, useI18n, type StringKey } from '../../i18n';
import { Button, Screen } from '../../ui';
import type { DeviceConfigDto } from '../../../../common/api/devices';
import { formTiles, type FormTile } from './device';
import { subscribe } from './sync-service';

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine !== false);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

/** The start screen: the village name and the assigned forms as big tiles. */
export function HomeScreen(props: { config: DeviceConfigDto; configVersion: number; langButton: React.ReactNode; onOpen: (tile: FormTile) => void; onStaff: () => void }) {
  const { t, lang } = useI18n();
  const [tiles, setTiles] = useState<FormTile[] | null>(null);
  const [queued, setQueued] = useState(0);
  const online = useOnline();
  useEffect(() => {
    let live = true;
    void formTiles(props.config).then((x) => live && setTiles(x));
    return () => {
      live = false;
    };
  }, [props.config, props.configVersion]);
  useEffect(() => subscribe((s) => setQueued(s.counts.queued)), []);

  return (
    <Screen
      title={`${t('appName')} · ${pickText(props.config.orgUnit.name, lang)}`}
      testId="home"
      actions={
        <>
          {!online && <span data-testid="offline-badge">{t('homeOffline')}</span>}
          {queued > 0 && <span data-testid="home-queued">{t('homeQueued', { n: queued })}</span>}
          {props.langButton}
          <Button variant="header" onClick={props.onStaff} data-testid="staff-button">{t('homeStaff')}</Button>
        </>
      }
    >
      <h2>{t('homeChoose')}</h2>
      {tiles !== null && tiles.length === 0 && <p>{t('homeNoForms')}</p>}
      <div className="cw-tiles">
        {(tiles ?? []).map((tile) => (
          <button
            key={tile.form.formId} type="button" className="cw-tile" disabled={!tile.version}
            data-testid={`tile-${tile.form.slug}`} onClick={() => props.onOpen(tile)}
          >
            {pickText(tile.form.title, lang)}
            <small>{t(`formKind_${tile.form.kind}` as StringKey)}{tile.version ? '' : ` · ${t('homeNotCached')}`}</small>
          </button>
        ))}
      </div>
    </Screen>
  );
}
