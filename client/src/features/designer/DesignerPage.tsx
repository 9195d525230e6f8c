/**
 * The form designer's console page (`/console/designer`): the list of forms, starting a new one
 * (blank, a template, a copy of a form, an XLSForm upload) and the editor (`/console/designer/<formId>`).
 */
import { useEffect, useState } from 'react';
import type { ConsolePageProps } from '../console/registry';
import { describeError } from '../../api/staff';
import { createForm, getForm, getFormVersion, importXlsform, listForms } from '../../api/designer';
import { FORM_KINDS, type FormDto, type FormKind, type SurveyDefinition } from '../../../../common/api/forms';
import type { XlsProblemDto } from '../../../../common/api/designer';
import { loadTemplates } from '../../../../form-definitions';
import { Button } from '../../ui';
import { Editor } from './Editor';
import { s } from './strings';
import './designer.css';

type Start = 'blank' | 'template' | 'copy' | 'xlsform';

function NewForm({ forms, onCreated, onCancel }: { forms: FormDto[]; onCreated: (id: string) => void; onCancel: () => void }) {
  const { t, lang } = s.useStrings();
  const templates = loadTemplates();
  const [start, setStart] = useState<Start>('blank');
  const [templateId, setTemplateId] = useState(templates[0]?.id ?? '');
  const [copyId, setCopyId] = useState(forms[0]?.id ?? '');
  const [imported, setImported] = useState<{ definition: SurveyDefinition; problems: XlsProblemDto[] } | null>(null);
  const [kind, setKind] = useState<FormKind>('knowledge');
  const [slug, setSlug] = useState('');
  const [titleZh, setTitleZh] = useState('');
  const [titleEn, setTitleEn] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (start === 'template') {
      const tpl = templates.find((x) => x.id === templateId);
      if (tpl) { setKind(tpl.kind); if (!titleZh) setTitleZh(tpl.title.zh); if (!titleEn) setTitleEn(tpl.title.en ?? ''); }
    }
    if (start === 'copy') {
      const f = forms.find((x) => x.id === copyId);
      if (f) {
        setKind(f.kind);
        setTitleZh(`${f.title.zh}${t('copySuffix')}`);
        setTitleEn(f.title.en ? `${f.title.en} (copy)` : '');
      }
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- prefill on choice
  }, [start, templateId, copyId]);

  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await importXlsform(file, kind);
      setImported({ definition: r.definition, problems: r.problems });
      if (r.title && !titleZh) setTitleZh(r.title.zh);
      if (r.title?.en && !titleEn) setTitleEn(r.title.en);
      if (r.settings.formId && !slug) setSlug(r.settings.formId.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 63));
    } catch (e) {
      setError(describeError(e, lang));
    } finally {
      setBusy(false);
    }
  };

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      let definition: SurveyDefinition = { locale: 'zh-cn', pages: [{ name: 'page1', elements: [] }] };
      if (start === 'template') definition = templates.find((x) => x.id === templateId)?.definition ?? definition;
      if (start === 'copy' && copyId) {
        const f = await getForm(copyId);
        definition = f.draft ?? (f.latestVersion ? (await getFormVersion(copyId, f.latestVersion)).definition : definition);
      }
      if (start === 'xlsform' && imported) definition = imported.definition;
      const created = await createForm({ slug: slug.trim(), kind, title: { zh: titleZh.trim(), ...(titleEn.trim() ? { en: titleEn.trim() } : {}) }, definition });
      onCreated(created.id);
    } catch (e) {
      setError(describeError(e, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="cwc-card" data-testid="new-form">
      <h3>{t('newForm')}</h3>
      <fieldset className="cwd-start">
        <legend>{t('startFrom')}</legend>
        {(['blank', 'template', 'copy', 'xlsform'] as const).map((id) => (
          <label key={id} className="cwd-check">
            <input type="radio" name="start" checked={start === id} onChange={() => setStart(id)} data-testid={`start-${id}`} disabled={id === 'copy' && forms.length === 0} />
            {t(id === 'blank' ? 'startBlank' : id === 'template' ? 'startTemplate' : id === 'copy' ? 'startCopy' : 'startXlsform')}
          </label>
        ))}
      </fieldset>
      {start === 'template' && (
        <label className="cw-field"><span>{t('chooseTemplate')}</span>
          <select value={templateId} onChange={(e) => setTemplateId(e.target.value)} data-testid="start-template-select">{templates.map((x) => <option key={x.id} value={x.id}>{lang === 'en' ? x.title.en ?? x.title.zh : x.title.zh}</option>)}</select>
        </label>
      )}
      {start === 'copy' && (
        <label className="cw-field"><span>{t('chooseForm')}</span>
          <select value={copyId} onChange={(e) => setCopyId(e.target.value)} data-testid="start-copy-select">{forms.map((f) => <option key={f.id} value={f.id}>{f.title.zh} ({f.slug})</option>)}</select>
        </label>
      )}
      {start === 'xlsform' && (
        <div className="cw-field">
          <span>{t('chooseFile')}</span>
          <input type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" data-testid="xlsform-file" onChange={(e) => void onFile(e.target.files?.[0])} />
          {busy && <p>{t('importing')}</p>}
          {imported && (imported.problems.length ? (
            <div className="cwd-warnings" data-testid="xlsform-problems">
              <p>{t('importProblems', { n: imported.problems.length })}</p>
              <ul>{imported.problems.map((p, i) => <li key={i}>{t('sheetRow', { sheet: p.sheet, row: p.row })}{p.question ? ` (${p.question})` : ''}: {lang === 'en' ? p.messageEn : p.message}</li>)}</ul>
            </div>
          ) : <p className="cwd-okline">✓ {t('importOk')}</p>)}
        </div>
      )}
      <div className="cwd-grid2">
        <label className="cw-field"><span>{t('kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as FormKind)} data-testid="new-kind">
            {FORM_KINDS.map((k) => <option key={k} value={k}>{t(`kind_${k}`)}</option>)}
          </select>
        </label>
        <label className="cw-field"><span>{t('slug')}</span><input value={slug} onChange={(e) => setSlug(e.target.value)} data-testid="new-slug" /></label>
        <label className="cw-field"><span>{t('formTitleZh')}</span><input value={titleZh} onChange={(e) => setTitleZh(e.target.value)} data-testid="new-title-zh" /></label>
        <label className="cw-field"><span>{t('formTitleEn')}</span><input value={titleEn} onChange={(e) => setTitleEn(e.target.value)} data-testid="new-title-en" /></label>
      </div>
      {error && <p role="alert" className="cwd-error" data-testid="new-error">{error}</p>}
      <div className="cwd-row">
        <Button variant="secondary" onClick={onCancel}>{t('cancel')}</Button>
        <Button onClick={() => void create()} disabled={busy || !slug.trim() || !titleZh.trim() || (start === 'xlsform' && !imported)} data-testid="new-create">{t('create')}</Button>
      </div>
    </section>
  );
}

function FormList({ onOpen }: { onOpen: (id: string) => void }) {
  const { t, lang } = s.useStrings();
  const [forms, setForms] = useState<FormDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  useEffect(() => { listForms().then(setForms).catch((e: unknown) => setError(describeError(e, lang))); }, [lang]);
  return (
    <div data-testid="designer-list">
      <div className="cwd-row">
        <h2>{t('formsHeading')}</h2>
        <span className="cwd-spacer" />
        {!creating && <Button onClick={() => setCreating(true)} data-testid="new-form-button">+ {t('newForm')}</Button>}
      </div>
      {error && <p role="alert" className="cwd-error">{error}</p>}
      {creating && forms && <NewForm forms={forms} onCreated={onOpen} onCancel={() => setCreating(false)} />}
      {!forms ? <p>{t('loading')}</p> : forms.length === 0 ? <p>{t('noForms')}</p> : (
        <table className="cwc-table">
          <thead><tr><th>{t('colTitle')}</th><th>{t('colKind')}</th><th>{t('colStatus')}</th><th>{t('colVersion')}</th><th /></tr></thead>
          <tbody>
            {forms.map((f) => (
              <tr key={f.id}>
                <td>{lang === 'en' && f.title.en ? f.title.en : f.title.zh} <small>({f.slug})</small></td>
                <td>{t(`kind_${f.kind}`)}</td>
                <td><span className="cwc-badge">{t(`status_${f.status}`)}</span>{f.hasDraft && f.latestVersion ? ` · ${t('status_draft')}` : ''}</td>
                <td>{f.latestVersion ?? '—'}</td>
                <td><Button variant="secondary" onClick={() => onOpen(f.id)} data-testid={`open-${f.slug}`}>{t('open')}</Button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export default function DesignerPage({ rest, navigate }: ConsolePageProps) {
  const formId = rest[0];
  if (formId) return <Editor key={formId} formId={formId} onBack={() => navigate('/console/designer')} />;
  return <FormList onOpen={(id) => navigate(`/console/designer/${encodeURIComponent(id)}`)} />;
}
