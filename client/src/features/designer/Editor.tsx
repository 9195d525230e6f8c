/**
 * The designer for one form: outline (left), live preview (middle), property panel (right);
 * JSON, untranslated texts and publishing as tabs. Every edit is a pure operation on the
 * definition kept in an undo/redo history; the draft autosaves (PATCH, debounced) and leaving
 * with unsaved changes asks first.
 */
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, describeError } from '../../api/staff';
import { getForm, saveDraft, type FormWithProblemsDto } from '../../api/designer';
import {
  addPage, addQuestion, createHistory, deletePage, deleteQuestion, duplicatePage, duplicateQuestion, findElement, movePage, moveQuestion,
  normalizeDefinition, nudgeQuestion, pagesOf, pushHistory, redo, setProperty, undo, reorderInContainer, moveToContainer, type EditResult, type History,
} from '../../../../common/designer/operations';
import { checkDefinition } from '../../../../common/forms/check-definition';
import { canonicalJson } from '../../../../common/canonical-json';
import type { SurveyDefinition } from '../../../../common/api/forms';
import { SurveyPreview } from '../../surveyjs/preview';
import { Button } from '../../ui';
import { Outline, type OutlineActions } from './Outline';
import { PropertyPanel } from './PropertyPanel';
import { TranslationsView } from './TranslationsView';
import { PublishView } from './PublishView';
import { s } from './strings';
import type { Selection } from './selection';

/** CodeMirror is loaded only when the JSON tab is opened. */
const JsonView = lazy(() => import('./JsonView').then((m) => ({ default: m.JsonView })));

export const AUTOSAVE_MS = 1200;
type Tab = 'design' | 'json' | 'translations' | 'publish';
type SaveState = { state: 'saved' } | { state: 'dirty' } | { state: 'saving' } | { state: 'failed'; reason: string } | { state: 'conflict' };

/** The form's own title (the list and the tablets show it), saved on its own. */
function FormTitle({ form, onSaved }: { form: FormWithProblemsDto; onSaved: (f: FormWithProblemsDto) => void }) {
  const { t, lang } = s.useStrings();
  const [zh, setZh] = useState(form.title.zh);
  const [en, setEn] = useState(form.title.en ?? '');
  const [error, setError] = useState<string | null>(null);
  const changed = zh.trim() !== form.title.zh || en.trim() !== (form.title.en ?? '');
  const saveTitle = async () => {
    setError(null);
    try {
      onSaved(await saveDraft(form.id, { title: { zh: zh.trim(), ...(en.trim() ? { en: en.trim() } : {}) } }));
    } catch (e) {
      setError(describeError(e, lang));
    }
  };
  return (
    <div className="cwd-field cwd-form-title">
      <label>{t('formTitleZh')} / {t('formTitleEn')}</label>
      <div className="cwd-bilingual">
        <input value={zh} onChange={(e) => setZh(e.target.value)} data-testid="form-title-zh" aria-label={t('formTitleZh')} />
        <input value={en} onChange={(e) => setEn(e.target.value)} data-testid="form-title-en" aria-label={t('formTitleEn')} />
      </div>
      {changed && <button type="button" className="cwd-small" disabled={!zh.trim()} onClick={() => void saveTitle()} data-testid="form-title-save">{t('saveTitle')}</button>}
      {error && <p role="alert" className="cwd-error">{error}</p>}
    </div>
  );
}

export function Editor({ formId, onBack }: { formId: string; onBack: () => void }) {
  const { t, lang } = s.useStrings();
  const [form, setForm] = useState<FormWithProblemsDto | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [history, setHistory] = useState<History<SurveyDefinition> | null>(null);
  const [selection, setSelection] = useState<Selection>({ kind: 'survey' });
  const [tab, setTab] = useState<Tab>('design');
  const [width, setWidth] = useState(375);
  const [previewLocale, setPreviewLocale] = useState('zh-cn');
  const [designMode, setDesignMode] = useState(false);
  const [save, setSave] = useState<SaveState>({ state: 'saved' });
  const savedRef = useRef<string>('');
  const savingRef = useRef<Promise<boolean> | null>(null);
  /** the draft revision this editor started from / last saved (optimistic concurrency) */
  const baseRef = useRef<string | null>(null);
  /** someone else saved the draft meanwhile: autosave stops until the person chooses */
  const conflictRef = useRef(false);

  useEffect(() => {
    let live = true;
    getForm(formId).then((f) => {
      if (!live) return;
      const def = normalizeDefinition(f.draft ?? {});
      savedRef.current = canonicalJson(f.draft ?? {});
      baseRef.current = f.draftUpdatedAt;
      setForm(f);
      setHistory(createHistory(def));
    }).catch((e: unknown) => live && setLoadError(describeError(e, lang)));
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load once per form
  }, [formId]);

  const definition = history?.present ?? null;
  const dirty = definition !== null && canonicalJson(definition) !== savedRef.current;

  const doSave = useCallback(async (def: SurveyDefinition, overwrite = false): Promise<boolean> => {
    const canon = canonicalJson(def);
    if (conflictRef.current && !overwrite) return false;
    if (canon === savedRef.current && !overwrite) return true;
    setSave({ state: 'saving' });
    try {
      const f = await saveDraft(formId, overwrite ? { definition: def } : { definition: def, expectedDraftUpdatedAt: baseRef.current });
      savedRef.current = canon;
      baseRef.current = f.draftUpdatedAt;
      conflictRef.current = false;
      setForm(f);
      setSave({ state: 'saved' });
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'FORM_DRAFT_CONFLICT') {
        conflictRef.current = true;
        setSave({ state: 'conflict' });
        return false;
      }
      const reason = e instanceof ApiError && e.code === 'FORM_DEFINITION_INVALID'
        ? ((e.details as { problems?: Array<{ message: string }> } | undefined)?.problems ?? []).map((p) => p.message).join(';') || describeError(e, lang)
        : describeError(e, lang);
      setSave({ state: 'failed', reason });
      return false;
    }
  }, [formId, lang]);

  // autosave, debounced
  useEffect(() => {
    if (!definition || !dirty || save.state === 'conflict') return undefined;
    setSave((st) => (st.state === 'saving' ? st : { state: 'dirty' }));
    const timer = setTimeout(() => { savingRef.current = doSave(definition); }, AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [definition, dirty, doSave, save.state]);

  const flush = useCallback(async () => {
    if (savingRef.current) await savingRef.current;
    return definition ? doSave(definition) : true;
  }, [definition, doSave]);

  // leaving the editor inside the console (another page): save what is not saved yet
  const latestRef = useRef<SurveyDefinition | null>(null);
  latestRef.current = definition;
  useEffect(() => () => {
    const def = latestRef.current;
    if (def && !conflictRef.current && canonicalJson(def) !== savedRef.current) void saveDraft(formId, { definition: def, expectedDraftUpdatedAt: baseRef.current }).catch(() => undefined);
  }, [formId]);

  // a warning before leaving the page with unsaved changes
  const dirtyRef = useRef(false);
  dirtyRef.current = dirty || save.state === 'saving' || save.state === 'failed' || save.state === 'conflict';
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!dirtyRef.current) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, []);

  const apply = useCallback((fn: (def: SurveyDefinition) => EditResult, key: string | null = null) => {
    setHistory((h) => {
      if (!h) return h;
      const r = fn(h.present);
      if (r.selected && key === null) {
        const sel = r.selected;
        queueMicrotask(() => setSelection(pagesOf(r.definition).some((p) => p.name === sel) && !findElement(r.definition, sel) ? { kind: 'page', name: sel } : { kind: 'element', name: sel }));
      }
      return pushHistory(h, r.definition, key);
    });
  }, []);

  // undo / redo shortcuts outside text fields
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable)) return;
      if (!(e.ctrlKey || e.metaKey)) return;
      if (e.key.toLowerCase() === 'z' && !e.shiftKey) { e.preventDefault(); setHistory((h) => (h ? undo(h) : h)); }
      else if (e.key.toLowerCase() === 'y' || (e.key.toLowerCase() === 'z' && e.shiftKey)) { e.preventDefault(); setHistory((h) => (h ? redo(h) : h)); }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const actions: OutlineActions = useMemo(() => ({
    select: setSelection,
    addQuestion: (type, page) => apply((d) => addQuestion(d, type, page)),
    addPage: () => apply((d) => addPage(d)),
    duplicate: (name) => apply((d) => duplicateQuestion(d, name)),
    remove: (name) => { apply((d) => deleteQuestion(d, name)); setSelection({ kind: 'survey' }); },
    nudge: (name, delta) => apply((d) => nudgeQuestion(d, name, delta)),
    move: (name, page, index) => apply((d) => moveQuestion(d, name, page, index)),
    reorder: (name, index) => apply((d) => reorderInContainer(d, name, index)),
    moveTo: (name, container) => apply((d) => moveToContainer(d, name, container)),
    duplicatePage: (p) => apply((d) => duplicatePage(d, p)),
    deletePage: (p) => { apply((d) => deletePage(d, p)); setSelection({ kind: 'survey' }); },
    movePage: (from, to) => apply((d) => movePage(d, from, to)),
  }), [apply]);

  /** conflict: take the server's draft (a fresh history: undo would bring back the discarded edits) */
  const reloadFromServer = useCallback(async () => {
    try {
      const f = await getForm(formId);
      savedRef.current = canonicalJson(f.draft ?? {});
      baseRef.current = f.draftUpdatedAt;
      conflictRef.current = false;
      setForm(f);
      setHistory(createHistory(normalizeDefinition(f.draft ?? {})));
      setSave({ state: 'saved' });
    } catch (e) {
      setSave({ state: 'failed', reason: describeError(e, lang) });
    }
  }, [formId, lang]);

  const problems = useMemo(() => (definition && form ? checkDefinition(form.kind, definition) : []), [definition, form]);

  // keep the selection valid after undo / redo / JSON edits
  useEffect(() => {
    if (!definition) return;
    if (selection.kind === 'element' && !findElement(definition, selection.name)) setSelection({ kind: 'survey' });
    if (selection.kind === 'page' && !pagesOf(definition).some((p) => p.name === selection.name)) setSelection({ kind: 'survey' });
  }, [definition, selection]);

  if (loadError) return <p role="alert" className="cwd-error">{loadError}</p>;
  if (!form || !history || !definition) return <p>{t('loading')}</p>;

  const target = selection.kind === 'survey' ? null : selection.name;
  const setProp = (property: string, value: unknown, typing = false) => {
    apply((d) => {
      const r = setProperty(d, target, property, value);
      if (property === 'name' && typeof value === 'string' && value) queueMicrotask(() => setSelection(selection.kind === 'page' ? { kind: 'page', name: value } : { kind: 'element', name: value }));
      return { definition: r.definition, selected: null };
    }, typing ? `${target ?? ''}.${property}` : null);
  };
  const pageIndex = selection.kind === 'element'
    ? pagesOf(definition).findIndex((p) => JSON.stringify(p.elements).includes(`"name":${JSON.stringify(selection.name)}`))
    : selection.kind === 'page' ? pagesOf(definition).findIndex((p) => p.name === selection.name) : undefined;
  const saveText = save.state === 'saved' && !dirty ? t('saved') : save.state === 'saving' ? t('saving') : save.state === 'failed' ? t('saveFailed', { reason: save.reason }) : save.state === 'conflict' ? t('conflictState') : t('unsaved');

  return (
    <div className="cwd-editor" data-testid="designer-editor">
      <div className="cwd-toolbar">
        <Button variant="secondary" onClick={() => { void flush().then(onBack); }}>← {t('back')}</Button>
        <h2>{lang === 'en' && form.title.en ? form.title.en : form.title.zh} <small>({t(`kind_${form.kind}`)})</small></h2>
        <span className="cwd-spacer" />
        <Button variant="secondary" disabled={history.past.length === 0} onClick={() => setHistory((h) => (h ? undo(h) : h))} data-testid="undo">↶ {t('undo')}</Button>
        <Button variant="secondary" disabled={history.future.length === 0} onClick={() => setHistory((h) => (h ? redo(h) : h))} data-testid="redo">↷ {t('redo')}</Button>
        <span className={`cwd-save cwd-save--${save.state === 'saved' && dirty ? 'dirty' : save.state}`} role="status" data-testid="save-state" data-state={save.state === 'saved' && !dirty ? 'saved' : save.state}>{saveText}</span>
      </div>
      {save.state === 'conflict' && (
        <div className="cwd-conflict" role="alert" data-testid="draft-conflict">
          <b>⚠ {t('conflictTitle')}</b>
          <p>{t('conflictText')}</p>
          <div className="cwd-row">
            <Button variant="secondary" onClick={() => { void reloadFromServer(); }} data-testid="conflict-reload">{t('conflictReload')}</Button>
            <Button variant="danger" onClick={() => { void doSave(definition, true); }} data-testid="conflict-overwrite">{t('conflictOverwrite')}</Button>
          </div>
        </div>
      )}
      <div className="cwd-tabs" role="tablist">
        {(['design', 'json', 'translations', 'publish'] as const).map((id) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'cwd-tab cwd-tab--on' : 'cwd-tab'} onClick={() => setTab(id)} data-testid={`tab-${id}`}>
            {t(id === 'design' ? 'tabDesign' : id === 'json' ? 'tabJson' : id === 'translations' ? 'tabTranslations' : 'tabPublish')}
          </button>
        ))}
      </div>
      {problems.length > 0 && tab !== 'publish' && (
        <details className="cwd-problems" data-testid="problems">
          <summary>⚠ {t('problems')} ({problems.length})</summary>
          <ul>{problems.map((p, i) => <li key={i}>{p.question ? <button type="button" className="cwd-link" onClick={() => { setTab('design'); setSelection({ kind: 'element', name: p.question ?? '' }); }}>{p.question}</button> : null} {p.message}</li>)}</ul>
        </details>
      )}
      {tab === 'design' && (
        <div className="cwd-columns">
          <Outline definition={definition} selection={selection} actions={actions} />
          <div className="cwd-preview">
            <div className="cwd-row">
              <b>{t('preview')}</b>
              <button type="button" className={`cwd-small${width === 375 ? ' cwd-on' : ''}`} onClick={() => setWidth(375)} data-testid="preview-phone">{t('phone')}</button>
              <button type="button" className={`cwd-small${width === 768 ? ' cwd-on' : ''}`} onClick={() => setWidth(768)} data-testid="preview-tablet">{t('tablet')}</button>
              <button type="button" className={`cwd-small${previewLocale === 'zh-cn' ? ' cwd-on' : ''}`} onClick={() => setPreviewLocale('zh-cn')}>{t('previewZh')}</button>
              <button type="button" className={`cwd-small${previewLocale === '' ? ' cwd-on' : ''}`} onClick={() => setPreviewLocale('')}>{t('previewEn')}</button>
              <label className="cwd-check"><input type="checkbox" checked={designMode} onChange={(e) => setDesignMode(e.target.checked)} /> {t('designMode')}</label>
            </div>
            {/* a click on a question in the preview selects it (survey-react-ui marks question roots with data-name) */}
            <div className="cwd-preview-click" onClickCapture={(e) => {
              const name = (e.target as HTMLElement).closest('[data-name]')?.getAttribute('data-name');
              if (name && findElement(definition, name) && !(selection.kind === 'element' && selection.name === name)) setSelection({ kind: 'element', name });
            }}>
            <SurveyPreview definition={definition} width={width} locale={previewLocale} designMode={designMode} {...(pageIndex !== undefined && pageIndex >= 0 ? { pageIndex } : {})} />
            </div>
          </div>
          <aside className="cwd-side">
            {selection.kind === 'survey' && <FormTitle form={form} onSaved={setForm} />}
            <PropertyPanel key={`${selection.kind}:${target ?? ''}`} definition={definition} selection={selection} set={setProp} />
          </aside>
        </div>
      )}
      {tab === 'json' && (
        <Suspense fallback={<p>{t('loading')}</p>}>
          <JsonView definition={definition} onApply={(d) => setHistory((h) => (h ? pushHistory(h, d, 'json') : h))} />
        </Suspense>
      )}
      {tab === 'translations' && <TranslationsView definition={definition} onOpen={(sel) => { setSelection(sel); setTab('design'); }} />}
      {tab === 'publish' && (
        <PublishView formId={formId} problems={problems} flush={flush} latestVersion={form.latestVersion}
          onPublished={(v) => { setForm((f) => (f ? { ...f, latestVersion: v, status: 'published' } : f)); }} />
      )}
    </div>
  );
}
