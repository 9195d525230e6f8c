/**
 * The page / question outline: select, add, duplicate, delete, and reorder by drag and drop
 * (dnd-kit, pointer and keyboard: focus the handle, Space to pick up, arrows, Space to drop) or
 * with the up / down buttons. Questions may be dragged onto another page. Questions inside a panel
 * or a roster (dynamic panel) are sorted within it (a dnd-kit context per container, same
 * keyboard gestures); "move to…" moves a question into or out of a panel or roster.
 */
import { useState, type ReactNode } from 'react';
import {
  DndContext, KeyboardSensor, PointerSensor, closestCenter, useDroppable, useSensor, useSensors, type DragEndEvent,
} from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import {
  QUESTION_TEMPLATES, QUESTION_TEMPLATE_IDS, moveTargets, pagesOf, splitText, type QuestionTemplateId,
} from '../../../../common/designer/operations';
import type { SurveyDefinition } from '../../../../common/api/forms';
import { s } from './strings';
import type { Selection } from './selection';

type Json = Record<string, unknown>;

export interface OutlineActions {
  select(sel: Selection): void;
  addQuestion(type: QuestionTemplateId, pageIndex: number): void;
  addPage(): void;
  duplicate(name: string): void;
  remove(name: string): void;
  nudge(name: string, delta: -1 | 1): void;
  move(name: string, pageIndex: number, index: number): void;
  /** to `index` of the element's own container (page, panel or roster) */
  reorder(name: string, index: number): void;
  /** into another page, panel or roster (at its end) */
  moveTo(name: string, container: string): void;
  duplicatePage(pageIndex: number): void;
  deletePage(pageIndex: number): void;
  movePage(from: number, to: number): void;
}

function label(el: Json, lang: 'zh' | 'en'): string {
  const t = splitText(el.title ?? (el.type === 'html' ? el.html : undefined));
  const text = (lang === 'en' ? t.en || t.zh : t.zh || t.en).replace(/<[^>]*>/g, '');
  return text || String(el.name ?? '');
}

function typeLabel(el: Json, lang: 'zh' | 'en'): string {
  const type = String(el.type ?? '');
  const id = (type === 'text' && el.inputType === 'number' ? 'number' : type === 'text' && el.inputType === 'date' ? 'date' : type) as QuestionTemplateId;
  const tpl = QUESTION_TEMPLATES[id];
  return tpl ? (lang === 'en' ? tpl.label.en : tpl.label.zh) : type;
}

interface QuestionProps { el: Json; selection: Selection; actions: OutlineActions; lang: 'zh' | 'en'; definition: SurveyDefinition }

function MoveToMenu({ name, definition, actions }: { name: string; definition: SurveyDefinition; actions: OutlineActions }) {
  const { t } = s.useStrings();
  const targets = moveTargets(definition, name);
  if (targets.length === 0) return null;
  return (
    <select className="cwd-small" value="" aria-label={t('moveToLabel')} data-testid={`moveto-${name}`} onChange={(e) => { if (e.target.value) actions.moveTo(name, e.target.value); }}>
      <option value="">{t('moveTo')}</option>
      {targets.map((c) => (
        <option key={c.name} value={c.name}>
          {'\u00a0\u00a0'.repeat(c.path.length + (c.kind === 'page' ? 0 : 1))}{c.kind === 'page' ? t('moveToPage', { n: c.page + 1 }) : t('moveToPanel', { name: c.name })}
        </option>
      ))}
    </select>
  );
}

function useDndSensors() {
  return useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 4 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
}

/** The questions of a panel or roster: a sortable list of its own (reordered within it only). */
function ChildList({ parent, items, ...rest }: { parent: string; items: Json[] } & Omit<QuestionProps, 'el'>) {
  const { t } = s.useStrings();
  const sensors = useDndSensors();
  const ids = items.map((c) => String(c.name));
  const onDragEnd = (e: DragEndEvent) => {
    if (!e.over || e.active.id === e.over.id) return;
    const to = ids.indexOf(String(e.over.id));
    if (to >= 0) rest.actions.reorder(String(e.active.id), to);
  };
  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={dndAccessibility(t)}>
      <SortableContext items={ids} strategy={verticalListSortingStrategy} id={`in:${parent}`}>
        <ul className="cwd-children" data-testid={`children-${parent}`}>
          {items.map((c) => <SortableQuestion key={String(c.name)} el={c} {...rest} />)}
        </ul>
      </SortableContext>
    </DndContext>
  );
}

function SortableQuestion({ el, selection, actions, lang, definition }: QuestionProps) {
  const { t } = s.useStrings();
  const selected = selection.kind === 'element' && selection.name === el.name;
  const name = String(el.name);
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: name });
  const children = [...(Array.isArray(el.elements) ? el.elements : []), ...(Array.isArray(el.templateElements) ? el.templateElements : [])] as Json[];
  return (
    <li ref={setNodeRef} style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1 }}
      className={`cwd-q${selected ? ' cwd-selected' : ''}`} data-testid={`outline-q-${name}`} data-name={name}>
      <div className="cwd-q-row">
        <button type="button" ref={setActivatorNodeRef} className="cwd-handle" aria-label={`${t('dragHandle')}: ${name}`} data-testid={`drag-${name}`} {...attributes} {...listeners}>⠿</button>
        <button type="button" className="cwd-q-label" onClick={() => actions.select({ kind: 'element', name })} data-testid={`select-${name}`}>
          <small>{typeLabel(el, lang)} · {name}</small>
          <span>{label(el, lang)}</span>
        </button>
      </div>
      {selected && (
        <div className="cwd-q-actions">
          <button type="button" className="cwd-small" onClick={() => actions.nudge(name, -1)} data-testid={`up-${name}`}>↑ {t('moveUp')}</button>
          <button type="button" className="cwd-small" onClick={() => actions.nudge(name, 1)} data-testid={`down-${name}`}>↓ {t('moveDown')}</button>
          <button type="button" className="cwd-small" onClick={() => actions.duplicate(name)} data-testid={`duplicate-${name}`}>{t('duplicate')}</button>
          <button type="button" className="cwd-small cwd-danger" onClick={() => actions.remove(name)} data-testid={`delete-${name}`}>{t('delete')}</button>
          <MoveToMenu name={name} definition={definition} actions={actions} />
        </div>
      )}
      {children.length > 0 && <ChildList parent={name} items={children} selection={selection} actions={actions} lang={lang} definition={definition} />}
    </li>
  );
}

/** An empty page is a drop target of its own (a page with questions is reached through them). */
function PageDrop({ id, empty, children }: { id: string; empty: boolean; children: ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id, disabled: !empty });
  return <ul ref={setNodeRef} className={`cwd-page-list${isOver ? ' cwd-over' : ''}`}>{children}</ul>;
}


/** Screen-reader instructions and announcements for dragging in the outline (zh-CN / English). */
function dndAccessibility(t: ReturnType<typeof s.useStrings>['t']) {
  return {
    screenReaderInstructions: { draggable: t('dndInstructions') },
    announcements: {
      onDragStart: ({ active }: { active: { id: unknown } }) => t('dndPicked', { name: String(active.id) }),
      onDragOver: ({ active, over }: { active: { id: unknown }; over: { id: unknown } | null }) => (over ? t('dndOver', { name: String(active.id), over: String(over.id) }) : t('dndNowhere', { name: String(active.id) })),
      onDragEnd: ({ active, over }: { active: { id: unknown }; over: { id: unknown } | null }) => (over ? t('dndDropped', { name: String(active.id), over: String(over.id) }) : t('dndNowhere', { name: String(active.id) })),
      onDragCancel: ({ active }: { active: { id: unknown } }) => t('dndCancelled', { name: String(active.id) }),
    },
  };
}
export function Outline({ definition, selection, actions }: { definition: SurveyDefinition; selection: Selection; actions: OutlineActions }) {
  const { t, lang } = s.useStrings();
  const [adding, setAdding] = useState<number | null>(null);
  const pages = pagesOf(definition);
  const sensors = useDndSensors();
  const where = (id: string): { page: number; index: number } | null => {
    if (id.startsWith('page:')) {
      const p = pages.findIndex((pg) => pg.name === id.slice(5));
      return p < 0 ? null : { page: p, index: pages[p]?.elements.length ?? 0 };
    }
    for (let p = 0; p < pages.length; p++) {
      const i = (pages[p]?.elements ?? []).findIndex((e) => e.name === id);
      if (i >= 0) return { page: p, index: i };
    }
    return null;
  };
  const onDragEnd = (e: DragEndEvent) => {
    if (!e.over || e.active.id === e.over.id) return;
    const from = where(String(e.active.id));
    const to = where(String(e.over.id));
    if (!from || !to) return;
    // same page: arrayMove semantics (the over item's index); another page: before the over item (or at the end)
    actions.move(String(e.active.id), to.page, to.index);
  };
  return (
    <nav className="cwd-outline" aria-label={t('outline')} data-testid="outline">
      <div className="cwd-outline-head">
        <button type="button" className={`cwd-q-label${selection.kind === 'survey' ? ' cwd-selected' : ''}`} onClick={() => actions.select({ kind: 'survey' })} data-testid="select-survey">
          {t('surveyProperties')}
        </button>
      </div>
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={dndAccessibility(t)}>
        {pages.map((page, p) => (
          <section key={page.name} className="cwd-page" data-testid={`outline-page-${p}`}>
            <div className={`cwd-page-head${selection.kind === 'page' && selection.name === page.name ? ' cwd-selected' : ''}`}>
              <button type="button" className="cwd-q-label" onClick={() => actions.select({ kind: 'page', name: page.name })} data-testid={`select-page-${p}`}>
                <b>{t('page', { n: p + 1 })}</b> <small>{label(page, lang) !== page.name ? label(page, lang) : page.name}</small>
              </button>
              <span className="cwd-page-tools">
                <button type="button" className="cwd-icon" aria-label={`${t('moveUp')} ${t('page', { n: p + 1 })}`} disabled={p === 0} onClick={() => actions.movePage(p, p - 1)}>↑</button>
                <button type="button" className="cwd-icon" aria-label={`${t('moveDown')} ${t('page', { n: p + 1 })}`} disabled={p === pages.length - 1} onClick={() => actions.movePage(p, p + 1)}>↓</button>
                <button type="button" className="cwd-icon" aria-label={`${t('duplicate')} ${t('page', { n: p + 1 })}`} onClick={() => actions.duplicatePage(p)}>⎘</button>
                <button type="button" className="cwd-icon cwd-danger" aria-label={`${t('delete')} ${t('page', { n: p + 1 })}`} onClick={() => actions.deletePage(p)} data-testid={`delete-page-${p}`}>✕</button>
              </span>
            </div>
            <SortableContext items={page.elements.map((e) => String(e.name))} strategy={verticalListSortingStrategy} id={`page:${page.name}`}>
              <PageDrop id={`page:${page.name}`} empty={page.elements.length === 0}>
                {page.elements.length === 0 && <li className="cwd-note">{t('emptyPage')}</li>}
                {page.elements.map((el) => (
                  <SortableQuestion key={String(el.name)} el={el} lang={lang} actions={actions} selection={selection} definition={definition} />
                ))}
              </PageDrop>
            </SortableContext>
            {adding === p ? (
              <div className="cwd-types" role="menu" data-testid={`types-${p}`}>
                {QUESTION_TEMPLATE_IDS.map((id) => (
                  <button type="button" role="menuitem" key={id} className="cwd-small" data-testid={`add-${id}`} onClick={() => { actions.addQuestion(id, p); setAdding(null); }}>
                    {lang === 'en' ? QUESTION_TEMPLATES[id].label.en : QUESTION_TEMPLATES[id].label.zh}
                  </button>
                ))}
                <button type="button" className="cwd-small" onClick={() => setAdding(null)}>{t('cancel')}</button>
              </div>
            ) : (
              <button type="button" className="cwd-add" onClick={() => setAdding(p)} data-testid={`add-question-${p}`}>+ {t('addQuestion')}</button>
            )}
          </section>
        ))}
      </DndContext>
      <button type="button" className="cwd-add" onClick={actions.addPage} data-testid="add-page">+ {t('addPage')}</button>
    </nav>
  );
}
