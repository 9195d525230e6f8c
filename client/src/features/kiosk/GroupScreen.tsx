import { pickText, useI18n } from '../../i18n';
import { Button, Screen } from '../../ui';
import type { DeviceConfigDto } from '../../../../common/api/devices';

type Choice = DeviceConfigDto['orgUnitChoices'][number];

/**
 * Where the tablet serves a village with groups (村民小组), the respondent (or enumerator) picks
 * theirs, so answers count toward the right unit. Big buttons; the village itself means "not sure".
 */
export function GroupScreen(props: { config: DeviceConfigDto; title: string; onPick: (orgUnitId: string) => void; onCancel: () => void }) {
  const { t, lang } = useI18n();
  const village = props.config.orgUnit;
  const label = (c: Choice) => (c.id === village.id ? t('groupVillageOnly', { name: pickText(c.name, lang) }) : pickText(c.name, lang));
  const ordered = [...props.config.orgUnitChoices.filter((c) => c.id !== village.id), ...props.config.orgUnitChoices.filter((c) => c.id === village.id)];
  return (
    <Screen title={props.title} testId="group-screen" actions={<Button variant="header" onClick={props.onCancel}>{t('back')}</Button>}>
      <h2>{t('groupTitle')}</h2>
      <div className="cw-tiles">
        {ordered.map((c) => (
          <button key={c.id} type="button" className="cw-tile" data-testid={`group-${c.id}`} onClick={() => props.onPick(c.id)}>
            {label(c)}
          </button>
        ))}
      </div>
    </Screen>
  );
}

/** True when the respondent has a real choice to make. */
export function needsGroupChoice(config: DeviceConfigDto): boolean {
  return config.orgUnitChoices.length > 1;
}
