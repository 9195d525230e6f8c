/**
 * Definition edits as pure operations on SurveyJS JSON (each returns a new definition and leaves
 * its input untouched), so the designer keeps an undo/redo history of plain values.
 *
 * The designer edits the page form of a definition (`pages[].elements[]`); `normalizeDefinition`
 * moves a top-level `elements` list onto a first page. Questions are addressed by name (names
 * are unique in a form: `checkDefinition` reports duplicates); nested elements (inside panels and
 * dynamic panels) are found too.
 */
import type { SurveyDefinition } from '../api/forms';

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

export interface PageJson extends Json {
  name: string;
  elements: Json[];
}

/** The designer's types (the brief's list) and the JSON each starts with. */
export const QUESTION_TEMPLATES = {
  radiogroup: { label: { zh: '单选题', en: 'Single choice' }, json: { type: 'radiogroup', choices: [{ value: 'a', text: { 'zh-cn': '选项一', default: 'Option 1' } }, { value: 'b', text: { 'zh-cn': '选项二', default: 'Option 2' } }] } },
  checkbox: { label: { zh: '多选题', en: 'Multiple choice' }, json: { type: 'checkbox', choices: [{ value: 'a', text: { 'zh-cn': '选项一', default: 'Option 1' } }, { value: 'b', text: { 'zh-cn': '选项二', default: 'Option 2' } }] } },
  boolean: { label: { zh: '是非题', en: 'True / false' }, json: { type: 'boolean', renderAs: 'radio', labelTrue: { 'zh-cn': '对', default: 'True' }, labelFalse: { 'zh-cn': '错', default: 'False' } } },
  rating: { label: { zh: '评分(1–5)', en: 'Rating 1–5' }, json: { type: 'rating', rateMin: 1, rateMax: 5, minRateDescription: { 'zh-cn': '非常不满意', default: 'Very dissatisfied' }, maxRateDescription: { 'zh-cn': '非常满意', default: 'Very satisfied' } } },
  text: { label: { zh: '填空', en: 'Text' }, json: { type: 'text' } },
  number: { label: { zh: '数字', en: 'Number' }, json: { type: 'text', inputType: 'number' } },
  date: { label: { zh: '日期', en: 'Date' }, json: { type: 'text', inputType: 'date' } },
  comment: { label: { zh: '多行文字', en: 'Comment' }, json: { type: 'comment' } },
  dropdown: { label: { zh: '下拉选择', en: 'Dropdown' }, json: { type: 'dropdown', choices: [{ value: 'a', text: { 'zh-cn': '选项一', default: 'Option 1' } }, { value: 'b', text: { 'zh-cn': '选项二', default: 'Option 2' } }] } },
  matrix: { label: { zh: '矩阵题', en: 'Matrix' }, json: { type: 'matrix', columns: [{ value: 1, text: { 'zh-cn': '不满意', default: 'Dissatisfied' } }, { value: 2, text: { 'zh-cn': '满意', default: 'Satisfied' } }], rows: [{ value: 'r1', text: { 'zh-cn': '第一行', default: 'Row 1' } }] } },
  paneldynamic: { label: { zh: '成员名单(可重复)', en: 'Roster (dynamic panel)' }, json: { type: 'paneldynamic', panelCount: 1, templateElements: [{ type: 'text', name: 'member_name', title: { 'zh-cn': '姓名', default: 'Name' } }] } },
  html: { label: { zh: '说明文字', en: 'Info (HTML)' }, json: { type: 'html', html: { 'zh-cn': '<p>说明文字</p>', default: '<p>Information</p>' } } },
  image: { label: { zh: '图片', en: 'Image' }, json: { type: 'image', imageLink: '', altText: '' } },
} as const satisfies Record<string, { label: { zh: string; en: string }; json: Json }>;
export type QuestionTemplateId = keyof typeof QUESTION_TEMPLATES;
export const QUESTION_TEMPLATE_IDS = Object.keys(QUESTION_TEMPLATES) as QuestionTemplateId[];

const NAME_PREFIX: Record<string, string> = { html: 'info', image: 'image', paneldynamic: 'roster' };

/** Top-level `elements` go onto a first page; every page gets a name and an elements array. */
export function normalizeDefinition(def: SurveyDefinition): SurveyDefinition {
  const out = clone(def);
  const pages: Json[] = Array.isArray(out.pages) ? (out.pages as unknown[]).filter(isRecord) : [];
  if (Array.isArray(out.elements)) {
    if (pages.length === 0) pages.push({ name: 'page1', elements: out.elements });
    else pages[0] = { ...pages[0], elements: [...(out.elements as unknown[]), ...(Array.isArray(pages[0]?.elements) ? (pages[0]?.elements as unknown[]) : [])] };
    delete out.elements;
  }
  if (pages.length === 0) pages.push({ name: 'page1', elements: [] });
  const used = new Set(pages.map((p) => p.name).filter((n): n is string => typeof n === 'string'));
  let n = 1;
  out.pages = pages.map((p) => {
    const page: Json = { ...p };
    if (typeof page.name !== 'string' || !page.name) {
      while (used.has(`page${n}`)) n++;
      const fresh = `page${n}`;
      page.name = fresh;
      used.add(fresh);
    }
    if (!Array.isArray(page.elements)) page.elements = [];
    return page;
  });
  return out;
}

export function pagesOf(def: SurveyDefinition): PageJson[] {
  return (Array.isArray(def.pages) ? def.pages : []).filter(isRecord) as PageJson[];
}

/** Every element name in the definition (questions, panels, nested ones, pages). */
export function allNames(def: SurveyDefinition): Set<string> {
  const names = new Set<string>();
  const walk = (els: unknown) => {
    if (!Array.isArray(els)) return;
    for (const el of els) {
      if (!isRecord(el)) continue;
      if (typeof el.name === 'string') names.add(el.name.toLowerCase());
      walk(el.elements);
      walk(el.templateElements);
    }
  };
  for (const p of pagesOf(def)) { if (typeof p.name === 'string') names.add(p.name.toLowerCase()); walk(p.elements); }
  walk(def.elements);
  return names;
}

/** A name not used yet: `q1`, `q2`, … (or `info1`, `roster1`, `page2` by prefix). */
export function uniqueName(def: SurveyDefinition, prefix: string): string {
  const used = allNames(def);
  for (let i = 1; ; i++) if (!used.has(`${prefix}${i}`.toLowerCase())) return `${prefix}${i}`;
}

interface Location {
  list: Json[];
  index: number;
  /** index of the page the element is on */
  page: number;
}

/** Where an element is (searching pages, panels and dynamic panels); null when absent. */
function locate(def: SurveyDefinition, name: string): Location | null {
  const pages = pagesOf(def);
  const search = (list: unknown, page: number): Location | null => {
    if (!Array.isArray(list)) return null;
    for (let i = 0; i < list.length; i++) {
      const el: unknown = list[i];
      if (!isRecord(el)) continue;
      if (el.name === name) return { list: list as Json[], index: i, page };
      const inner = search(el.elements, page) ?? search(el.templateElements, page);
      if (inner) return inner;
    }
    return null;
  };
  for (let p = 0; p < pages.length; p++) {
    const hit = search(pages[p]?.elements, p);
    if (hit) return hit;
  }
  return null;
}

export function findElement(def: SurveyDefinition, name: string): Json | null {
  const at = locate(def, name);
  return at ? (at.list[at.index] ?? null) : null;
}

export interface EditResult {
  definition: SurveyDefinition;
  /** the element the edit created or touched (for selection) */
  selected: string | null;
}

/** Adds a question of a template type to a page (at `index`, default the end). */
export function addQuestion(def: SurveyDefinition, template: QuestionTemplateId, pageIndex: number, index?: number): EditResult {
  const out = normalizeDefinition(def);
  const pages = pagesOf(out);
  const page = pages[Math.max(0, Math.min(pageIndex, pages.length - 1))];
  if (!page) throw new Error('no page');
  const t = QUESTION_TEMPLATES[template];
  const name = uniqueName(out, NAME_PREFIX[t.json.type] ?? 'q');
  const q: Json = { ...clone(t.json as Json), name };
  if (t.json.type !== 'html' && t.json.type !== 'image') q.title = { 'zh-cn': `新${t.label.zh}`, default: `New ${t.label.en.toLowerCase()}` };
  const at = index === undefined ? page.elements.length : Math.max(0, Math.min(index, page.elements.length));
  page.elements.splice(at, 0, q);
  return { definition: out, selected: name };
}

function renameDeep(el: Json, def: SurveyDefinition, taken: Set<string>): void {
  if (typeof el.name === 'string') {
    const base = el.name.replace(/_?\d+$/, '') || 'q';
    let i = 1;
    let candidate = `${base}_${i}`;
    while (taken.has(candidate.toLowerCase())) candidate = `${base}_${++i}`;
    taken.add(candidate.toLowerCase());
    el.name = candidate;
  }
  for (const key of ['elements', 'templateElements']) {
    if (Array.isArray(el[key])) for (const c of el[key] as unknown[]) if (isRecord(c)) renameDeep(c, def, taken);
  }
}

/** Copies an element right after itself, with new unique names (nested elements too). */
export function duplicateQuestion(def: SurveyDefinition, name: string): EditResult {
  const out = normalizeDefinition(def);
  const at = locate(out, name);
  if (!at) return { definition: def, selected: null };
  const copy = clone(at.list[at.index] as Json);
  renameDeep(copy, out, allNames(out));
  at.list.splice(at.index + 1, 0, copy);
  return { definition: out, selected: typeof copy.name === 'string' ? copy.name : null };
}

export function deleteQuestion(def: SurveyDefinition, name: string): EditResult {
  const out = normalizeDefinition(def);
  const at = locate(out, name);
  if (!at) return { definition: def, selected: null };
  at.list.splice(at.index, 1);
  const next = at.list[at.index] ?? at.list[at.index - 1];
  return { definition: out, selected: next && typeof next.name === 'string' ? next.name : null };
}

/**
 * Moves an element to position `index` of page `pageIndex` (top level of the page). The index is
 * in the target list after the element has been taken out (dnd-kit's `arrayMove` convention).
 */
export function moveQuestion(def: SurveyDefinition, name: string, pageIndex: number, index: number): EditResult {
  const out = normalizeDefinition(def);
  const at = locate(out, name);
  const target = pagesOf(out)[pageIndex];
  if (!at || !target) return { definition: def, selected: name };
  const [el] = at.list.splice(at.index, 1);
  if (!el) return { definition: def, selected: name };
  target.elements.splice(Math.max(0, Math.min(index, target.elements.length)), 0, el);
  return { definition: out, selected: name };
}

/** Moves an element one place up or down within its page, across page boundaries at the ends. */
export function nudgeQuestion(def: SurveyDefinition, name: string, delta: -1 | 1): EditResult {
  const out = normalizeDefinition(def);
  const at = locate(out, name);
  if (!at) return { definition: def, selected: name };
  const pages = pagesOf(out);
  const page = pages[at.page];
  const topLevel = page?.elements === at.list;
  const to = at.index + delta;
  if (to >= 0 && to < at.list.length) return moveWithin(out, at, to, name);
  if (!topLevel) return { definition: def, selected: name };
  const nextPage = at.page + delta;
  if (nextPage < 0 || nextPage >= pages.length) return { definition: def, selected: name };
  const target = pages[nextPage] as PageJson;
  return moveQuestion(out, name, nextPage, delta < 0 ? target.elements.length : 0);
}

function moveWithin(out: SurveyDefinition, at: Location, to: number, name: string): EditResult {
  const [el] = at.list.splice(at.index, 1);
  if (el) at.list.splice(to, 0, el);
  return { definition: out, selected: name };
}

export function addPage(def: SurveyDefinition, index?: number): EditResult {
  const out = normalizeDefinition(def);
  const pages = out.pages as Json[];
  const name = uniqueName(out, 'page');
  pages.splice(index === undefined ? pages.length : Math.max(0, Math.min(index, pages.length)), 0, { name, elements: [] });
  return { definition: out, selected: name };
}

/** Deletes a page with its questions; the last page is never deleted (it is emptied instead). */
export function deletePage(def: SurveyDefinition, pageIndex: number): EditResult {
  const out = normalizeDefinition(def);
  const pages = out.pages as Json[];
  if (pageIndex < 0 || pageIndex >= pages.length) return { definition: def, selected: null };
  if (pages.length === 1) { (pages[0] as PageJson).elements = []; return { definition: out, selected: null }; }
  pages.splice(pageIndex, 1);
  return { definition: out, selected: null };
}

export function movePage(def: SurveyDefinition, from: number, to: number): EditResult {
  const out = normalizeDefinition(def);
  const pages = out.pages as Json[];
  if (from < 0 || from >= pages.length) return { definition: def, selected: null };
  const [p] = pages.splice(from, 1);
  if (p) pages.splice(Math.max(0, Math.min(to, pages.length)), 0, p);
  return { definition: out, selected: typeof p?.name === 'string' ? p.name : null };
}

export function duplicatePage(def: SurveyDefinition, pageIndex: number): EditResult {
  const out = normalizeDefinition(def);
  const pages = out.pages as Json[];
  const page = pages[pageIndex];
  if (!page) return { definition: def, selected: null };
  const copy = clone(page);
  const taken = allNames(out);
  copy.name = uniqueName(out, 'page');
  taken.add(String(copy.name).toLowerCase());
  for (const el of (copy.elements as unknown[])) if (isRecord(el)) renameDeep(el, out, taken);
  pages.splice(pageIndex + 1, 0, copy);
  return { definition: out, selected: copy.name as string };
}

// ---------------------------------------------------------------- containers (pages, panels, rosters)

export type ContainerKind = 'page' | 'panel' | 'paneldynamic';

/** Something questions live in: a page (`elements`), a panel (`elements`) or a dynamic panel / roster (`templateElements`). */
export interface ContainerInfo {
  kind: ContainerKind;
  name: string;
  /** 0-based page the container is on */
  page: number;
  /** names of the containers it is nested in, outermost first (pages excluded) */
  path: string[];
}

function childListKey(el: Json): 'elements' | 'templateElements' | null {
  if (el.type === 'paneldynamic') return 'templateElements';
  if (el.type === 'panel') return 'elements';
  return null;
}

/** Every page, panel and dynamic panel of the form, in document order. */
export function listContainers(def: SurveyDefinition): ContainerInfo[] {
  const out: ContainerInfo[] = [];
  const walk = (list: unknown, page: number, path: string[]) => {
    if (!Array.isArray(list)) return;
    for (const el of list) {
      if (!isRecord(el) || typeof el.name !== 'string') continue;
      const key = childListKey(el);
      if (!key) continue;
      out.push({ kind: el.type as ContainerKind, name: el.name, page, path });
      walk(el[key], page, [...path, el.name]);
    }
  };
  pagesOf(def).forEach((p, i) => { out.push({ kind: 'page', name: p.name, page: i, path: [] }); walk(p.elements, i, []); });
  return out;
}

/** The list of a container (by page or element name) inside `def` (mutable: `def` must be a copy). */
function containerList(def: SurveyDefinition, container: string, create = true): Json[] | null {
  const el = findElement(def, container);
  if (el) {
    const key = childListKey(el);
    if (!key) return null;
    if (!Array.isArray(el[key])) {
      if (!create) return [];
      el[key] = [];
    }
    return el[key] as Json[];
  }
  const page = pagesOf(def).find((p) => p.name === container);
  return page ? page.elements : null;
}

/** The name of the page, panel or dynamic panel an element is directly in; null when absent. */
export function containerOf(def: SurveyDefinition, name: string): string | null {
  for (const c of listContainers(def)) {
    const list = containerList(def, c.name, false);
    if (list?.some((e) => e.name === name)) return c.name;
  }
  return null;
}

/** Containers `name` may be moved into: not its own container, not itself nor anything inside it. */
export function moveTargets(def: SurveyDefinition, name: string): ContainerInfo[] {
  const current = containerOf(def, name);
  return listContainers(def).filter((c) => c.name !== current && c.name !== name && !c.path.includes(name));
}

/**
 * Moves an element to position `index` of its own container (page, panel or roster): dnd-kit's
 * `arrayMove` convention (the index after the element has been taken out).
 */
export function reorderInContainer(def: SurveyDefinition, name: string, index: number): EditResult {
  const out = normalizeDefinition(def);
  const at = locate(out, name);
  if (!at) return { definition: def, selected: name };
  const to = Math.max(0, Math.min(index, at.list.length - 1));
  if (to === at.index) return { definition: def, selected: name };
  return moveWithin(out, at, to, name);
}

/**
 * Moves an element into another container (a page, a panel or a dynamic panel's template) at
 * `index` (default: the end). Refused (the input returned) when the target is unknown, is not a
 * container, or is the element itself or inside it. Expressions are not rewritten: a question
 * moved into or out of a roster is referred to differently (`{panel.q}`), which
 * `checkDefinition` reports.
 */
export function moveToContainer(def: SurveyDefinition, name: string, container: string, index?: number): EditResult {
  const out = normalizeDefinition(def);
  const at = locate(out, name);
  if (!at || name === container) return { definition: def, selected: name };
  const el = at.list[at.index] as Json;
  if (findElementIn(el, container)) return { definition: def, selected: name };
  const target = containerList(out, container);
  if (!target) return { definition: def, selected: name };
  at.list.splice(at.index, 1);
  target.splice(index === undefined ? target.length : Math.max(0, Math.min(index, target.length)), 0, el);
  return { definition: out, selected: name };
}

function findElementIn(el: Json, name: string): boolean {
  for (const key of ['elements', 'templateElements']) {
    const list = el[key];
    if (!Array.isArray(list)) continue;
    for (const c of list) if (isRecord(c) && (c.name === name || findElementIn(c, name))) return true;
  }
  return false;
}

/**
 * Sets (or, with `undefined`, removes) a property of an element, a page (by page name) or the
 * survey itself (`target` null). Renaming an element (`name`) also renames `{old}` in the
 * form's expressions.
 */
export function setProperty(def: SurveyDefinition, target: string | null, property: string, value: unknown): EditResult {
  const out = normalizeDefinition(def);
  let holder: Json | null = null;
  if (target === null) holder = out;
  else holder = findElement(out, target) ?? pagesOf(out).find((p) => p.name === target) ?? null;
  if (!holder) return { definition: def, selected: target };
  if (value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value))) delete holder[property];
  else holder[property] = clone(value);
  if (property === 'name' && typeof value === 'string' && target && value !== target) {
    return { definition: renameReferences(out, target, value), selected: value };
  }
  return { definition: out, selected: target };
}

/** Replaces `{old}` (and `{old.`…, `{old[`…) in every string property of the definition. */
export function renameReferences(def: SurveyDefinition, from: string, to: string): SurveyDefinition {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`\\{${escaped}(?=[}.\\[])`, 'g');
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.includes(`{${from}`) ? v.replace(re, `{${to}`) : v;
    if (Array.isArray(v)) return v.map(walk);
    if (isRecord(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(def) as SurveyDefinition;
}

// ---------------------------------------------------------------- undo / redo

export interface History<T> {
  past: T[];
  present: T;
  future: T[];
  /** edits with the same key in a row (typing in one field) merge into one undo step */
  lastKey: string | null;
}

export const HISTORY_LIMIT = 200;

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [], lastKey: null };
}

export function pushHistory<T>(h: History<T>, next: T, key: string | null = null): History<T> {
  if (next === h.present) return h;
  if (key !== null && key === h.lastKey) return { ...h, present: next, future: [] };
  const past = [...h.past, h.present].slice(-HISTORY_LIMIT);
  return { past, present: next, future: [], lastKey: key };
}

export function undo<T>(h: History<T>): History<T> {
  const prev = h.past[h.past.length - 1];
  if (prev === undefined) return h;
  return { past: h.past.slice(0, -1), present: prev, future: [h.present, ...h.future], lastKey: null };
}

export function redo<T>(h: History<T>): History<T> {
  const [next, ...rest] = h.future;
  if (next === undefined) return h;
  return { past: [...h.past, h.present], present: next, future: rest, lastKey: null };
}

// ---------------------------------------------------------------- bilingual text

/** SurveyJS localized text → zh-CN and English. A plain string is the default (zh-CN for CunWen forms). */
export function splitText(v: unknown): { zh: string; en: string } {
  if (typeof v === 'string') return { zh: v, en: '' };
  if (!isRecord(v)) return { zh: '', en: '' };
  const zh = typeof v['zh-cn'] === 'string' ? v['zh-cn'] : typeof v.zh === 'string' ? v.zh : '';
  const en = typeof v.en === 'string' ? v.en : typeof v.default === 'string' ? v.default : '';
  // a lone default in Chinese is the zh-CN text (CunWen forms are Chinese first)
  if (!zh && /[\u3400-\u9fff]/.test(en)) return { zh: en, en: '' };
  return { zh, en };
}

/**
 * zh-CN + English → SurveyJS localized text: `{ "zh-cn": zh, "default": en }` (the English is the
 * default text, used by any locale without its own), a plain string when there is no English.
 */
export function joinText(zh: string, en: string): unknown {
  if (!en) return zh || undefined;
  if (!zh) return { default: en };
  return { 'zh-cn': zh, default: en };
}

export interface UntranslatedString {
  /** element name ('' for the survey itself) */
  element: string;
  property: string;
  /** for choice items: the item value */
  item?: unknown;
  zh: string;
  en: string;
  missing: 'en' | 'zh';
}

const TEXT_PROPS = ['title', 'description', 'html', 'labelTrue', 'labelFalse', 'minRateDescription', 'maxRateDescription', 'placeholder', 'otherText', 'noneText', 'requiredErrorText', 'templateTitle', 'addPanelText', 'removePanelText', 'completedHtml', 'altText'];
const ITEM_PROPS = ['choices', 'rows', 'columns', 'rateValues'];

/** Every text of the form that has zh-CN but no English (or the reverse). */
export function untranslatedStrings(def: SurveyDefinition): UntranslatedString[] {
  const out: UntranslatedString[] = [];
  const check = (element: string, property: string, v: unknown, item?: unknown) => {
    if (v === undefined || v === null) return;
    const { zh, en } = splitText(v);
    if (!zh && !en) return;
    if (zh && !en) out.push({ element, property, zh, en, missing: 'en', ...(item !== undefined ? { item } : {}) });
    else if (en && !zh) out.push({ element, property, zh, en, missing: 'zh', ...(item !== undefined ? { item } : {}) });
  };
  const visit = (el: Json, element: string) => {
    for (const p of TEXT_PROPS) check(element, p, el[p]);
    for (const p of ITEM_PROPS) {
      if (!Array.isArray(el[p])) continue;
      for (const it of el[p] as unknown[]) if (isRecord(it) && 'text' in it) check(element, p, it.text, it.value);
    }
    for (const k of ['elements', 'templateElements']) {
      if (Array.isArray(el[k])) for (const c of el[k] as unknown[]) if (isRecord(c)) visit(c, typeof c.name === 'string' ? c.name : '');
    }
  };
  check('', 'title', def.title);
  check('', 'description', def.description);
  for (const p of pagesOf(def)) visit(p, p.name);
  return out;
}
