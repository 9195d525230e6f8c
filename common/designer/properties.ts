/**
 * Property-panel generation from survey-core's `Serializer` metadata.
 *
 * The panel is not hand-written per question type: every serializable, visible property that
 * survey-core declares for the class becomes a field, with its editor kind derived from the
 * metadata type (string, text, boolean, number, condition, expression, item list, …), its default,
 * its choice list and whether it is required. A mapping table gives the properties we show first a
 * section (basic / choices / logic / validation / quiz) and zh-CN / English labels; properties not
 * in the table go to "advanced" under their own name, never hidden silently. Properties survey-core
 * itself marks invisible or not serializable, and the structural ones edited through the outline
 * (`elements`, `templateElements`, `pages`), are listed in `omitted` with the reason.
 */
import { Model, Serializer, type JsonObjectProperty } from 'survey-core';
import type { SurveyDefinition } from '../api/forms';
import '../forms/survey-properties';

export const SECTION_IDS = ['basic', 'choices', 'logic', 'validation', 'quiz', 'advanced'] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export const SECTION_LABELS: Record<SectionId, { zh: string; en: string }> = {
  basic: { zh: '基本', en: 'Basic' },
  choices: { zh: '选项', en: 'Choices' },
  logic: { zh: '逻辑', en: 'Logic' },
  validation: { zh: '校验', en: 'Validation' },
  quiz: { zh: '答题计分', en: 'Quiz' },
  advanced: { zh: '高级', en: 'Advanced' },
};

/** How a field is edited in the panel. */
export type EditorKind =
  | 'string'      // one line
  | 'multiline'   // several lines (not localizable)
  | 'localized'   // zh-CN and English side by side
  | 'boolean'
  | 'number'
  | 'select'      // one of the metadata's choices
  | 'condition'   // condition builder + raw expression
  | 'expression'  // raw expression, checked as you type
  | 'items'       // choice / row / column lists (value + zh/en text)
  | 'value'       // a question value (correctAnswer, defaultValue): edited against the question's choices
  | 'json';       // anything else: JSON text

export interface PropertyField {
  name: string;
  /** survey-core metadata type, e.g. `string`, `condition`, `itemvalue[]`. */
  serializerType: string;
  editor: EditorKind;
  section: SectionId;
  label: { zh: string; en: string };
  /** true when the label comes from the mapping table (false: the property name, under "advanced"). */
  mapped: boolean;
  defaultValue: unknown;
  choices?: Array<string | number>;
  isRequired: boolean;
  localizable: boolean;
  /** the class that declares it (`question`, `selectbase`, …) */
  declaredBy?: string;
}

export interface PropertySection {
  id: SectionId;
  label: { zh: string; en: string };
  fields: PropertyField[];
}

export interface OmittedProperty {
  name: string;
  reason: 'invisible' | 'not-serializable' | 'structure' | 'hidden-by-condition';
}

export interface PropertyPanel {
  className: string;
  sections: PropertySection[];
  omitted: OmittedProperty[];
}

interface Mapped {
  section: SectionId;
  zh: string;
  en: string;
  /** overrides the derived editor kind */
  editor?: EditorKind;
}

/** The properties we show with a label. Order within a section follows this table. */
export const PROPERTY_LABELS: Record<string, Mapped> = {
  // basic
  name: { section: 'basic', zh: '题目编号(变量名)', en: 'Name (variable)' },
  title: { section: 'basic', zh: '题目', en: 'Title' },
  description: { section: 'basic', zh: '说明', en: 'Description' },
  inputType: { section: 'basic', zh: '输入类型', en: 'Input type' },
  placeholder: { section: 'basic', zh: '占位提示', en: 'Placeholder' },
  html: { section: 'basic', zh: '说明内容(HTML)', en: 'Content (HTML)' },
  imageLink: { section: 'basic', zh: '图片地址', en: 'Image URL' },
  altText: { section: 'basic', zh: '图片替代文字', en: 'Alt text' },
  imageHeight: { section: 'basic', zh: '图片高度', en: 'Image height' },
  imageWidth: { section: 'basic', zh: '图片宽度', en: 'Image width' },
  labelTrue: { section: 'basic', zh: '"是"的文字', en: 'Label for yes' },
  labelFalse: { section: 'basic', zh: '"否"的文字', en: 'Label for no' },
  rows: { section: 'choices', zh: '行', en: 'Rows' },
  columns: { section: 'choices', zh: '列', en: 'Columns' },
  templateTitle: { section: 'basic', zh: '每项标题', en: 'Panel title' },
  panelCount: { section: 'basic', zh: '初始项数', en: 'Initial panels' },
  minPanelCount: { section: 'validation', zh: '最少项数', en: 'Minimum panels' },
  maxPanelCount: { section: 'validation', zh: '最多项数', en: 'Maximum panels' },
  addPanelText: { section: 'basic', zh: '"添加"按钮文字', en: 'Add button text' },
  removePanelText: { section: 'basic', zh: '"删除"按钮文字', en: 'Remove button text' },
  defaultValue: { section: 'basic', zh: '默认值', en: 'Default value' },
  readOnly: { section: 'basic', zh: '只读', en: 'Read-only' },
  visible: { section: 'logic', zh: '显示', en: 'Visible' },
  hideNumber: { section: 'basic', zh: '隐藏题号', en: 'Hide number' },
  // the survey itself
  locale: { section: 'basic', zh: '默认语言', en: 'Default language' },
  showProgressBar: { section: 'basic', zh: '显示进度条', en: 'Show progress bar' },
  showQuestionNumbers: { section: 'basic', zh: '题号', en: 'Question numbers' },
  completedHtml: { section: 'basic', zh: '完成后显示的文字', en: 'Text after completion' },
  // choices
  choices: { section: 'choices', zh: '选项', en: 'Choices' },
  choicesOrder: { section: 'choices', zh: '选项顺序', en: 'Choice order' },
  colCount: { section: 'choices', zh: '选项列数', en: 'Columns' },
  showOtherItem: { section: 'choices', zh: '显示"其他"', en: 'Show "Other"' },
  otherText: { section: 'choices', zh: '"其他"的文字', en: '"Other" text' },
  showNoneItem: { section: 'choices', zh: '显示"以上都不是"', en: 'Show "None"' },
  noneText: { section: 'choices', zh: '"以上都不是"的文字', en: '"None" text' },
  rateMin: { section: 'choices', zh: '最低分', en: 'Minimum rate' },
  rateMax: { section: 'choices', zh: '最高分', en: 'Maximum rate' },
  rateStep: { section: 'choices', zh: '步长', en: 'Rate step' },
  rateValues: { section: 'choices', zh: '评分项', en: 'Rate values' },
  minRateDescription: { section: 'choices', zh: '最低分说明', en: 'Minimum label' },
  maxRateDescription: { section: 'choices', zh: '最高分说明', en: 'Maximum label' },
  rateType: { section: 'choices', zh: '评分样式', en: 'Rate type' },
  // logic
  visibleIf: { section: 'logic', zh: '显示条件', en: 'Show if' },
  requiredIf: { section: 'logic', zh: '必答条件', en: 'Required if' },
  enableIf: { section: 'logic', zh: '可用条件', en: 'Enable if' },
  choicesVisibleIf: { section: 'logic', zh: '选项显示条件', en: 'Choices visible if' },
  // validation
  isRequired: { section: 'validation', zh: '必答', en: 'Required' },
  requiredErrorText: { section: 'validation', zh: '必答提示', en: 'Required message' },
  validators: { section: 'validation', zh: '校验规则', en: 'Validators' },
  min: { section: 'validation', zh: '最小值', en: 'Minimum' },
  max: { section: 'validation', zh: '最大值', en: 'Maximum' },
  maxLength: { section: 'validation', zh: '最多字数', en: 'Maximum length' },
  minSelectedChoices: { section: 'validation', zh: '最少选几项', en: 'Minimum selected' },
  maxSelectedChoices: { section: 'validation', zh: '最多选几项', en: 'Maximum selected' },
  sensitive: { section: 'validation', zh: '敏感信息(加密保存)', en: 'Sensitive (encrypted)' },
  // quiz
  correctAnswer: { section: 'quiz', zh: '正确答案', en: 'Correct answer' },
  scored: { section: 'quiz', zh: '计分题', en: 'Scored' },
  points: { section: 'quiz', zh: '分值', en: 'Points' },
  dimension: { section: 'quiz', zh: '满意度维度', en: 'Satisfaction dimension' },
  notApplicableValue: { section: 'quiz', zh: '"不适用"选项的值', en: 'Not-applicable value' },
};

const STRUCTURE = new Set(['elements', 'templateElements', 'pages', 'questions']);

function editorFor(p: JsonObjectProperty, choices: Array<string | number> | undefined): EditorKind {
  const t = p.type;
  if (t === 'condition') return 'condition';
  if (t === 'expression') return 'expression';
  if (t === 'boolean' || t === 'switch') return 'boolean';
  if (t === 'number') return 'number';
  if (t === 'value') return 'value';
  // item lists whose entries are { value, text } (+ other properties, which the editor keeps)
  if (/^(itemvalue|choiceitem|checkboxitem|ratingitem|matrixcolumn|imageitemvalue)\[\]$/.test(t)) return 'items';
  if (p.isLocalizable) return 'localized';
  if (choices && choices.length > 0) return 'select';
  if (t === 'text' || t === 'html') return 'multiline';
  if (t === 'string' || t === '') return 'string';
  return 'json';
}

function choicesOf(p: JsonObjectProperty, obj: unknown): Array<string | number> | undefined {
  let raw: unknown;
  try {
    raw = p.getChoices(obj ?? null);
  } catch {
    raw = undefined;
  }
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const out: Array<string | number> = [];
  for (const c of raw as unknown[]) {
    const v = c && typeof c === 'object' && 'value' in c ? (c as { value: unknown }).value : c;
    if (typeof v === 'string' || typeof v === 'number') out.push(v);
  }
  return out.length ? out : undefined;
}

const ORDER = Object.keys(PROPERTY_LABELS);

/**
 * The property panel of a survey-core class (`radiogroup`, `rating`, `survey`, …). Pass the live
 * object (a `Question` of a design-mode model) to apply the properties' own visibility conditions
 * (e.g. `step` only for numeric inputs) and dynamic choice lists.
 */
export function propertyPanel(className: string, obj?: unknown): PropertyPanel {
  const cls = Serializer.findClass(className);
  if (!cls) throw new Error(`unknown survey-core class: ${className}`);
  const props: JsonObjectProperty[] = Serializer.getPropertiesByObj(obj ?? { getType: () => className });
  const bySection = new Map<SectionId, PropertyField[]>(SECTION_IDS.map((s) => [s, []]));
  const omitted: OmittedProperty[] = [];
  const seen = new Set<string>();
  for (const p of props) {
    if (seen.has(p.name)) continue;
    seen.add(p.name);
    if (STRUCTURE.has(p.name)) { omitted.push({ name: p.name, reason: 'structure' }); continue; }
    if (!p.isSerializable) { omitted.push({ name: p.name, reason: 'not-serializable' }); continue; }
    if (!p.visible) { omitted.push({ name: p.name, reason: 'invisible' }); continue; }
    if (obj && typeof p.isVisible === 'function' && !p.isVisible('', obj)) { omitted.push({ name: p.name, reason: 'hidden-by-condition' }); continue; }
    const mapped = PROPERTY_LABELS[p.name];
    const choices = choicesOf(p, obj);
    const field: PropertyField = {
      name: p.name,
      serializerType: p.type,
      editor: mapped?.editor ?? editorFor(p, choices),
      section: mapped?.section ?? 'advanced',
      label: mapped ? { zh: mapped.zh, en: mapped.en } : { zh: p.name, en: p.name },
      mapped: !!mapped,
      defaultValue: p.defaultValue,
      isRequired: p.isRequired,
      localizable: p.isLocalizable,
      ...(choices ? { choices } : {}),
      ...(p.classInfo?.name ? { declaredBy: p.classInfo.name } : {}),
    };
    bySection.get(field.section)?.push(field);
  }
  const sections: PropertySection[] = [];
  for (const id of SECTION_IDS) {
    const fields = bySection.get(id) ?? [];
    if (!fields.length) continue;
    if (id === 'advanced') fields.sort((a, b) => a.name.localeCompare(b.name));
    else fields.sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
    sections.push({ id, label: SECTION_LABELS[id], fields });
  }
  return { className, sections, omitted };
}

/** Every field of a panel, in section order. */
export function panelFields(panel: PropertyPanel): PropertyField[] {
  return panel.sections.flatMap((s) => s.fields);
}

/**
 * The panel of one element of a definition (by name), a page (by page name) or the survey
 * (`target` null), computed on a design-mode model so the properties' visibility conditions see
 * the element as it is. Elements a model does not expose by name (inside a dynamic panel's
 * template) get the panel of their type.
 */
export function panelForTarget(definition: SurveyDefinition, target: { kind: 'survey' } | { kind: 'page'; name: string } | { kind: 'element'; name: string; type: string }): PropertyPanel {
  const warn = console.warn;
  console.warn = () => undefined; // half-edited definitions make survey-core log; the designer shows its own checks
  let model: Model | null = null;
  try {
    model = new Model(definition);
    model.setDesignMode(true);
    if (target.kind === 'survey') return propertyPanel('survey', model);
    if (target.kind === 'page') {
      const page = model.getPageByName(target.name);
      return propertyPanel('page', page ?? undefined);
    }
    const el = model.getQuestionByName(target.name) ?? model.getPanelByName(target.name);
    if (el && el.getType() === target.type) return propertyPanel(target.type, el);
    return propertyPanel(Serializer.findClass(target.type) ? target.type : 'question');
  } finally {
    model?.dispose();
    console.warn = warn;
  }
}
