/**
 * The whole definition as JSON in a code editor (CodeMirror 6), kept in sync both ways: edits
 * that parse are applied to the design view (one undo step per pause); changes made elsewhere
 * replace the text unless it holds unparsed edits.
 */
import { useEffect, useRef, useState } from 'react';
import { EditorView, basicSetup } from 'codemirror';
import { json, jsonParseLinter } from '@codemirror/lang-json';
import { linter, lintGutter } from '@codemirror/lint';
import { canonicalJson } from '../../../../common/canonical-json';
import type { SurveyDefinition } from '../../../../common/api/forms';
import { s } from './strings';

export function JsonView({ definition, onApply }: { definition: SurveyDefinition; onApply: (def: SurveyDefinition) => void }) {
  const { t } = s.useStrings();
  const host = useRef<HTMLDivElement | null>(null);
  const view = useRef<EditorView | null>(null);
  const applied = useRef(canonicalJson(definition));
  const applyRef = useRef(onApply);
  applyRef.current = onApply;
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!host.current) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const v = new EditorView({
      doc: JSON.stringify(definition, null, 2),
      parent: host.current,
      extensions: [
        basicSetup, json(), linter(jsonParseLinter()), lintGutter(),
        EditorView.updateListener.of((u) => {
          if (!u.docChanged) return;
          clearTimeout(timer);
          timer = setTimeout(() => {
            const text = u.state.doc.toString();
            try {
              const parsed: unknown = JSON.parse(text);
              if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('{ … }');
              setError(null);
              const canon = canonicalJson(parsed);
              if (canon !== applied.current) {
                applied.current = canon;
                applyRef.current(parsed as SurveyDefinition);
              }
            } catch (e) {
              setError((e as Error).message);
            }
          }, 400);
        }),
      ],
    });
    view.current = v;
    return () => { clearTimeout(timer); v.destroy(); view.current = null; };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one editor per mount
  }, []);

  useEffect(() => {
    const v = view.current;
    const canon = canonicalJson(definition);
    if (!v || canon === applied.current) return;
    applied.current = canon;
    setError(null);
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: JSON.stringify(definition, null, 2) } });
  }, [definition]);

  return (
    <div className="cwd-json">
      <p className="cwd-note">{t('jsonHelp')}</p>
      {error ? <p role="alert" className="cwd-error" data-testid="json-error">{t('invalidJson', { msg: error })}</p> : <p className="cwd-okline">✓ {t('jsonApplied')}</p>}
      <div ref={host} className="cwd-cm" data-testid="json-editor" />
    </div>
  );
}
