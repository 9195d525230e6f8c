/** @jest-environment jsdom */
import { useState } from 'react';
import { fireEvent, render, screen } from '@testing-library/react';
import { ConditionEditor } from '../../../client/src/features/designer/ConditionEditor';
import { PropertyPanel } from '../../../client/src/features/designer/PropertyPanel';
import type { Selection } from '../../../client/src/features/designer/selection';
import { findElement, setProperty } from '../../../common/designer/operations';
import type { SurveyDefinition } from '../../../common/api/forms';

const DEF: SurveyDefinition = {
  pages: [{
    name: 'p1',
    elements: [
      { type: 'radiogroup', name: 'q1', title: { 'zh-cn': '性别', default: 'Sex' }, choices: [{ value: 'm', text: { 'zh-cn': '男', default: 'Male' } }, { value: 'f', text: '女' }] },
      { type: 'checkbox', name: 'q2', title: '哪些', choices: ['x', 'y', 'z'] },
      { type: 'text', name: 'age', inputType: 'number', title: '年龄' },
      { type: 'boolean', name: 'b', title: '对吗' },
    ],
  }],
};

function Harness({ selection, initial = DEF, onDef }: { selection: Selection; initial?: SurveyDefinition; onDef: (d: SurveyDefinition) => void }) {
  const [def, setDef] = useState(initial);
  const target = selection.kind === 'survey' ? null : selection.name;
  return (
    <PropertyPanel definition={def} selection={selection} set={(p, v) => setDef((d) => { const next = setProperty(d, target, p, v).definition; onDef(next); return next; })} />
  );
}

describe('PropertyPanel', () => {
  it('renders the generated sections and edits bilingual text, items and the correct answer', () => {
    let last: SurveyDefinition = DEF;
    render(<Harness selection={{ kind: 'element', name: 'q1' }} onDef={(d) => { last = d; }} />);
    expect(screen.getByTestId('property-panel').getAttribute('data-class')).toBe('radiogroup');
    for (const id of ['basic', 'choices', 'logic', 'validation', 'quiz', 'advanced']) expect(screen.getByTestId(`section-${id}`)).toBeTruthy();
    expect((screen.getByTestId('prop-title-zh') as HTMLInputElement).value).toBe('性别');
    expect((screen.getByTestId('prop-title-en') as HTMLInputElement).value).toBe('Sex');
    fireEvent.change(screen.getByTestId('prop-title-en'), { target: { value: 'Gender' } });
    expect(findElement(last, 'q1')?.title).toEqual({ 'zh-cn': '性别', default: 'Gender' });
    fireEvent.change(screen.getByTestId('prop-choices-en-1'), { target: { value: 'Female' } });
    expect(findElement(last, 'q1')?.choices).toEqual([{ value: 'm', text: { 'zh-cn': '男', default: 'Male' } }, { value: 'f', text: { 'zh-cn': '女', default: 'Female' } }]);
    fireEvent.click(screen.getByTestId('prop-correctAnswer-f'));
    expect(findElement(last, 'q1')?.correctAnswer).toBe('f');
    fireEvent.click(screen.getByTestId('prop-isRequired'));
    expect(findElement(last, 'q1')?.isRequired).toBe(true);
    fireEvent.click(screen.getByTestId('prop-isRequired'));
    expect(findElement(last, 'q1')).not.toHaveProperty('isRequired'); // back to the default: removed
  });

  it('a checkbox question takes several correct answers; a boolean true or false', () => {
    let last: SurveyDefinition = DEF;
    const { unmount } = render(<Harness selection={{ kind: 'element', name: 'q2' }} onDef={(d) => { last = d; }} />);
    fireEvent.click(screen.getByTestId('prop-correctAnswer-x'));
    fireEvent.click(screen.getByTestId('prop-correctAnswer-z'));
    expect(findElement(last, 'q2')?.correctAnswer).toEqual(['x', 'z']);
    unmount();
    render(<Harness selection={{ kind: 'element', name: 'b' }} onDef={(d) => { last = d; }} />);
    fireEvent.click(screen.getByTestId('prop-correctAnswer-false'));
    expect(findElement(last, 'b')?.correctAnswer).toBe(false);
  });

  it('number inputs get their own fields (min/max, step) from the metadata', () => {
    render(<Harness selection={{ kind: 'element', name: 'age' }} onDef={() => undefined} />);
    expect(screen.getByTestId('prop-step')).toBeTruthy();
    expect(screen.getByTestId('prop-inputType')).toBeTruthy();
  });
});

function CondHarness({ initial, onExpr }: { initial: string; onExpr: (e: string | undefined) => void }) {
  const [v, setV] = useState(initial);
  return <ConditionEditor value={v} definition={DEF} self="age" property="visibleIf" testId="c" onChange={(e) => { setV(e ?? ''); onExpr(e); }} />;
}

describe('ConditionEditor', () => {
  it('builds a condition by choosing question, operator and value', () => {
    const seen: Array<string | undefined> = [];
    render(<CondHarness initial="" onExpr={(e) => seen.push(e)} />);
    fireEvent.click(screen.getByTestId('c-add'));
    expect(seen.at(-1)).toBe("{q1} = 'm'");
    fireEvent.change(screen.getByTestId('c-value-0'), { target: { value: JSON.stringify('f') } });
    expect(seen.at(-1)).toBe("{q1} = 'f'");
    fireEvent.change(screen.getByTestId('c-operator-0'), { target: { value: 'notempty' } });
    expect(seen.at(-1)).toBe('{q1} notempty');
    fireEvent.click(screen.getByTestId('c-add'));
    fireEvent.change(screen.getByTestId('c-question-1'), { target: { value: 'q2' } });
    fireEvent.change(screen.getByTestId('c-operator-1'), { target: { value: 'contains' } });
    fireEvent.change(screen.getByTestId('c-connective'), { target: { value: 'or' } });
    expect(seen.at(-1)).toBe("{q1} notempty or {q2} contains 'x'");
    // the question itself is not offered
    expect(Array.from((screen.getByTestId('c-question-0') as HTMLSelectElement).options).map((o) => o.value)).not.toContain('age');
  });

  it('shows a complex expression as raw text only, and reports errors as you type', () => {
    render(<CondHarness initial="{q1} = 'm' and ({q2} contains 'x' or {b} = true)" onExpr={() => undefined} />);
    expect(screen.queryByTestId('c-add')).toBeNull();
    expect((screen.getByTestId('c-raw') as HTMLTextAreaElement).value).toContain('or {b} = true');
    fireEvent.change(screen.getByTestId('c-raw'), { target: { value: "{nope} = 'm'" } });
    expect(screen.getByTestId('c-issues').textContent).toContain('nope');
    fireEvent.change(screen.getByTestId('c-raw'), { target: { value: "{q1} = 'm'" } });
    expect(screen.queryByTestId('c-issues')).toBeNull();
    expect(screen.getByTestId('c-clause-0')).toBeTruthy(); // simple again: the builder is back
  });
});

describe('ConditionEditor and values survey-core would rewrite', () => {
  it('refuses to write a choice value containing <> (survey-core turns it into !=) and says so', () => {
    const def: SurveyDefinition = { pages: [{ name: 'p1', elements: [
      { type: 'radiogroup', name: 'q1', choices: ['a<>b', 'ok'] },
      { type: 'text', name: 'age', inputType: 'number' },
    ] }] };
    const seen: Array<string | undefined> = [];
    function H() {
      const [v, setV] = useState('');
      return <ConditionEditor value={v} definition={def} self="age" property="visibleIf" testId="u" onChange={(e) => { setV(e ?? ''); seen.push(e); }} />;
    }
    render(<H />);
    fireEvent.click(screen.getByTestId('u-add'));
    expect(seen).toEqual([]);
    expect(screen.getByTestId('u-unwritable').textContent).toContain('<>');
  });
});

describe('renaming', () => {
  it('commits a new name on Enter (references follow); an empty name is refused', () => {
    let last: SurveyDefinition = DEF;
    const initial = setProperty(DEF, 'age', 'visibleIf', "{q1} = 'm'").definition;
    render(<Harness selection={{ kind: 'element', name: 'q1' }} initial={initial} onDef={(d) => { last = d; }} />);
    const input = screen.getByTestId('prop-name') as HTMLInputElement;
    fireEvent.change(input, { target: { value: '' } });
    fireEvent.blur(input);
    expect(input.value).toBe('q1');
    fireEvent.change(input, { target: { value: 'sex' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    expect(findElement(last, 'sex')?.type).toBe('radiogroup');
    expect(findElement(last, 'age')?.visibleIf).toBe("{sex} = 'm'");
  });
});

describe('item lists', () => {
  it('keep the other properties of an item (visibleIf, imageLink) and reorder', () => {
    let last: SurveyDefinition = DEF;
    const initial: SurveyDefinition = { pages: [{ name: 'p', elements: [{ type: 'radiogroup', name: 'r', choices: [{ value: 'a', text: '甲', visibleIf: '{x} = 1' }, 'b'] }] }] };
    render(<Harness selection={{ kind: 'element', name: 'r' }} initial={initial} onDef={(d) => { last = d; }} />);
    fireEvent.change(screen.getByTestId('prop-choices-en-0'), { target: { value: 'A' } });
    expect(findElement(last, 'r')?.choices).toEqual([{ value: 'a', text: { 'zh-cn': '甲', default: 'A' }, visibleIf: '{x} = 1' }, 'b']);
    fireEvent.click(screen.getByLabelText('上移 2'));
    expect((findElement(last, 'r')?.choices as unknown[])[0]).toBe('b');
  });
});
