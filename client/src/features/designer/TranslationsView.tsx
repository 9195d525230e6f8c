/** Every text of the form that lacks its English (or Chinese) counterpart; a click opens the element. */
import { untranslatedStrings } from '../../../../common/designer/operations';
import type { SurveyDefinition } from '../../../../common/api/forms';
import { s } from './strings';
import type { Selection } from './selection';

export function TranslationsView({ definition, onOpen }: { definition: SurveyDefinition; onOpen: (sel: Selection) => void }) {
  const { t } = s.useStrings();
  const list = untranslatedStrings(definition);
  if (!list.length) return <p className="cwd-okline" data-testid="untranslated-none">✓ {t('untranslatedNone')}</p>;
  return (
    <div data-testid="untranslated">
      <h3>{t('untranslatedHeading', { n: list.length })}</h3>
      <table className="cwc-table">
        <thead><tr><th>{t('question')}</th><th>{t('value')}</th><th>{t('zh')}</th><th>{t('en')}</th><th /></tr></thead>
        <tbody>
          {list.map((u, i) => (
            <tr key={i}>
              <td>{u.element || t('surveyItself')}</td>
              <td><code>{u.property}{u.item !== undefined ? ` [${String(u.item)}]` : ''}</code></td>
              <td>{u.zh}</td>
              <td>{u.en}</td>
              <td>
                <button type="button" className="cwd-small" onClick={() => onOpen(u.element ? { kind: 'element', name: u.element } : { kind: 'survey' })}>
                  {u.missing === 'en' ? t('missingEn') : t('missingZh')} →
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
