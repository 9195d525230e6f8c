/**
 * Publishing safely: the draft is saved, compared with the last published version (server diff),
 * its problems and comparability warnings are shown, and only then can it be published.
 */
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/staff';
import { getDiff, publishForm, xlsformDownloadUrl } from '../../api/designer';
import type { DiffDto } from '../../../../common/api/designer';
import type { DefinitionProblem } from '../../../../common/api/forms';
import { Button } from '../../ui';
import { s } from './strings';

export function PublishView({ formId, problems, flush, onPublished, latestVersion }: {
  formId: string;
  problems: DefinitionProblem[];
  /** saves the draft now; false when it could not be saved */
  flush: () => Promise<boolean>;
  onPublished: (version: number) => void;
  latestVersion: number | null;
}) {
  const { t, lang } = s.useStrings();
  const [diff, setDiff] = useState<DiffDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<number | null>(null);

  const load = useCallback(async () => {
    setError(null);
    setDiff(null);
    if (!(await flush())) { setError(t('unsaved')); return; }
    try {
      setDiff(await getDiff(formId));
    } catch (e) {
      setError(describeError(e, lang));
    }
  }, [flush, formId, lang, t]);
  useEffect(() => { void load(); }, [load]);

  const publish = async () => {
    setBusy(true);
    setError(null);
    try {
      const v = await publishForm(formId);
      setDone(v.version);
      onPublished(v.version);
    } catch (e) {
      setError(describeError(e, lang));
    } finally {
      setBusy(false);
    }
  };

  const list = (items: Array<{ name: string; title: string }>) => <ul>{items.map((q) => <li key={q.name}><code>{q.name}</code> {q.title}</li>)}</ul>;
  return (
    <div className="cwd-publish" data-testid="publish-view">
      <h3>{t('publishHeading')}</h3>
      <p>{t('publishIntro')}</p>
      {latestVersion !== null && <p><a href={xlsformDownloadUrl(formId, latestVersion)} download>{t('downloadXlsform')} (v{latestVersion})</a></p>}
      {error && <p role="alert" className="cwd-error">{error}</p>}
      {done !== null && <p className="cwd-okline" role="status" data-testid="published">✓ {t('published', { v: done })}</p>}
      <section className="cwc-card">
        <h4>{t('problems')}</h4>
        {problems.length ? (
          <ul className="cwd-issues" data-testid="publish-problems">{problems.map((p, i) => <li key={i}>{p.question ? <code>{p.question}</code> : null} {p.message}</li>)}</ul>
        ) : <p className="cwd-okline">✓ {t('noProblems')}</p>}
      </section>
      {diff && (
        <section className="cwc-card" data-testid="publish-diff">
          <p>{diff.from === null ? t('firstVersion') : t('compareWith', { v: diff.from })}</p>
          {diff.identical && <p>{t('nothingChanged')}</p>}
          {diff.warnings.length > 0 && (
            <div className="cwd-warnings" role="alert" data-testid="publish-warnings">
              <h4>⚠ {t('warnings')}</h4>
              <ul>{diff.warnings.map((w, i) => <li key={i}>{lang === 'en' ? w.en : w.zh}</li>)}</ul>
            </div>
          )}
          {diff.added.length > 0 && <><h4>{t('added')} ({diff.added.length})</h4>{list(diff.added)}</>}
          {diff.removed.length > 0 && <><h4>{t('removed')} ({diff.removed.length})</h4>{list(diff.removed)}</>}
          {diff.changed.length > 0 && (
            <>
              <h4>{t('changed')} ({diff.changed.length})</h4>
              <ul>
                {diff.changed.map((c) => (
                  <li key={c.path}>
                    <code>{c.name}</code> {c.title}: {c.aspects.join(', ')}
                    {c.choices && c.choices.added.length > 0 && <> · {t('choicesAdded', { v: c.choices.added.map(String).join(', ') })}</>}
                    {c.choices && c.choices.removed.length > 0 && <> · {t('choicesRemoved', { v: c.choices.removed.map(String).join(', ') })}</>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}
      <div className="cwd-row">
        <Button variant="secondary" onClick={() => void load()}>{t('refreshDiff')}</Button>
        <Button onClick={() => void publish()} disabled={busy || !diff || diff.identical || problems.length > 0} data-testid="publish-confirm">
          {busy ? t('publishing') : t('publish')}
        </Button>
      </div>
      {problems.length > 0 && <p className="cwd-note">{t('cannotPublish')}</p>}
    </div>
  );
}
