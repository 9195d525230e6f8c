/** @jest-environment jsdom */
import { useState } from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { Outline, type OutlineActions } from '../../../client/src/features/designer/Outline';
import type { Selection } from '../../../client/src/features/designer/selection';
import { findElement, moveToContainer, nudgeQuestion, reorderInContainer } from '../../../common/designer/operations';
import type { SurveyDefinition } from '../../../common/api/forms';

const DEF: SurveyDefinition = {
  pages: [{ name: 'p1', elements: [
    { type: 'text', name: 'a' },
    { type: 'panel', name: 'box', elements: [{ type: 'text', name: 'b1' }] },
    { type: 'paneldynamic', name: 'roster', templateElements: [{ type: 'text', name: 'm1' }, { type: 'text', name: 'm2' }] },
  ] }],
};
const names = (list: unknown): string[] => (Array.isArray(list) ? list.map((e: { name: string }) => e.name) : []);

function Harness({ onDef }: { onDef: (d: SurveyDefinition) => void }) {
  const [def, setDef] = useState(DEF);
  const [selection, setSelection] = useState<Selection>({ kind: 'survey' });
  const edit = (fn: (d: SurveyDefinition) => SurveyDefinition) => setDef((d) => { const n = fn(d); onDef(n); return n; });
  const noop = () => undefined;
  const actions: OutlineActions = {
    select: setSelection, addQuestion: noop, addPage: noop, duplicate: noop, remove: noop, duplicatePage: noop, deletePage: noop, movePage: noop, move: noop,
    nudge: (name, delta) => edit((d) => nudgeQuestion(d, name, delta).definition),
    reorder: (name, index) => edit((d) => reorderInContainer(d, name, index).definition),
    moveTo: (name, container) => edit((d) => moveToContainer(d, name, container).definition),
  };
  return <Outline definition={def} selection={selection} actions={actions} />;
}

describe('outline: questions inside panels and rosters', () => {
  it('renders roster members as a sortable list of their own with drag handles', () => {
    render(<Harness onDef={() => undefined} />);
    const list = screen.getByTestId('children-roster');
    expect(within(list).getAllByRole('listitem').map((li) => li.getAttribute('data-name'))).toEqual(['m1', 'm2']);
    const handle = screen.getByTestId('drag-m2');
    expect(handle.getAttribute('aria-roledescription')).toBe('sortable');
    expect(screen.getByTestId('children-box')).toBeTruthy();
  });

  it('moves a selected roster member down within the roster', () => {
    let last = DEF;
    render(<Harness onDef={(d) => { last = d; }} />);
    fireEvent.click(screen.getByTestId('select-m1'));
    fireEvent.click(screen.getByTestId('down-m1'));
    expect(names(findElement(last, 'roster')?.templateElements)).toEqual(['m2', 'm1']);
    expect(within(screen.getByTestId('children-roster')).getAllByRole('listitem').map((li) => li.getAttribute('data-name'))).toEqual(['m2', 'm1']);
  });

  it('"move to…" moves a question into a panel and a roster member out onto the page', () => {
    let last = DEF;
    render(<Harness onDef={(d) => { last = d; }} />);
    fireEvent.click(screen.getByTestId('select-a'));
    const menu = screen.getByTestId('moveto-a') as HTMLSelectElement;
    expect([...menu.options].map((o) => o.value)).toEqual(['', 'box', 'roster']); // not its own page
    fireEvent.change(menu, { target: { value: 'box' } });
    expect(names(findElement(last, 'box')?.elements)).toEqual(['b1', 'a']);
    fireEvent.click(screen.getByTestId('select-m2'));
    fireEvent.change(screen.getByTestId('moveto-m2'), { target: { value: 'p1' } });
    expect(names(findElement(last, 'roster')?.templateElements)).toEqual(['m1']);
    expect(names((last.pages as Array<{ elements: unknown }>)[0]?.elements)).toEqual(['box', 'roster', 'm2']);
  });
});
