import {
  containerOf, createHistory, findElement, listContainers, moveTargets, moveToContainer, pushHistory, redo, reorderInContainer, undo,
} from '../../../common/designer/operations';
import type { SurveyDefinition } from '../../../common/api/forms';

const DEF: SurveyDefinition = {
  pages: [
    { name: 'p1', elements: [
      { type: 'text', name: 'a' },
      { type: 'panel', name: 'box', elements: [{ type: 'text', name: 'b1' }, { type: 'text', name: 'b2' }, { type: 'panel', name: 'inner', elements: [{ type: 'text', name: 'i1' }] }] },
      { type: 'paneldynamic', name: 'roster', templateElements: [{ type: 'text', name: 'm1' }, { type: 'text', name: 'm2' }, { type: 'text', name: 'm3' }] },
    ] },
    { name: 'p2', elements: [{ type: 'text', name: 'z' }, { type: 'panel', name: 'empty' }] },
  ],
};
const frozen = JSON.stringify(DEF);
const names = (list: unknown): string[] => (Array.isArray(list) ? list.map((e: { name: string }) => e.name) : []);
const roster = (d: SurveyDefinition) => names(findElement(d, 'roster')?.templateElements);
const box = (d: SurveyDefinition) => names(findElement(d, 'box')?.elements);
const page = (d: SurveyDefinition, i: number) => names((d.pages as Array<{ elements: unknown }>)[i]?.elements);

afterEach(() => { expect(JSON.stringify(DEF)).toBe(frozen); }); // inputs untouched

describe('containers: pages, panels and rosters', () => {
  it('lists containers in document order with their nesting, and finds an element’s container', () => {
    expect(listContainers(DEF).map((c) => `${c.kind}:${c.name}@${c.page}/${c.path.join('>')}`)).toEqual([
      'page:p1@0/', 'panel:box@0/', 'panel:inner@0/box', 'paneldynamic:roster@0/', 'page:p2@1/', 'panel:empty@1/',
    ]);
    expect(containerOf(DEF, 'm2')).toBe('roster');
    expect(containerOf(DEF, 'i1')).toBe('inner');
    expect(containerOf(DEF, 'box')).toBe('p1');
    expect(containerOf(DEF, 'nope')).toBeNull();
  });

  it('move targets exclude the current container, the element itself and what is inside it', () => {
    expect(moveTargets(DEF, 'box').map((c) => c.name)).toEqual(['roster', 'p2', 'empty']);
    expect(moveTargets(DEF, 'm1').map((c) => c.name)).toEqual(['p1', 'box', 'inner', 'p2', 'empty']);
  });

  it('reorders inside a roster and inside a panel (arrayMove semantics), nothing else changes', () => {
    const r = reorderInContainer(DEF, 'm3', 0);
    expect(roster(r.definition)).toEqual(['m3', 'm1', 'm2']);
    expect(r.selected).toBe('m3');
    expect(page(r.definition, 0)).toEqual(['a', 'box', 'roster']);
    expect(roster(reorderInContainer(DEF, 'm1', 2).definition)).toEqual(['m2', 'm3', 'm1']);
    expect(box(reorderInContainer(DEF, 'inner', 0).definition)).toEqual(['inner', 'b1', 'b2']);
    expect(roster(reorderInContainer(DEF, 'm1', 99).definition)).toEqual(['m2', 'm3', 'm1']); // clamped
    expect(reorderInContainer(DEF, 'm1', 0).definition).toBe(DEF); // no change: same object
    expect(reorderInContainer(DEF, 'ghost', 0).definition).toBe(DEF);
  });

  it('moves a question into a panel, out of a roster onto a page, and into an empty panel', () => {
    const into = moveToContainer(DEF, 'a', 'box', 1).definition;
    expect(box(into)).toEqual(['b1', 'a', 'b2', 'inner']);
    expect(page(into, 0)).toEqual(['box', 'roster']);
    const out = moveToContainer(DEF, 'm2', 'p2').definition;
    expect(roster(out)).toEqual(['m1', 'm3']);
    expect(page(out, 1)).toEqual(['z', 'empty', 'm2']);
    const empty = moveToContainer(DEF, 'b1', 'empty').definition;
    expect(names(findElement(empty, 'empty')?.elements)).toEqual(['b1']);
    const intoRoster = moveToContainer(DEF, 'z', 'roster', 0).definition;
    expect(roster(intoRoster)).toEqual(['z', 'm1', 'm2', 'm3']);
  });

  it('refuses to move a panel into itself or its own inner panel, or into a question', () => {
    expect(moveToContainer(DEF, 'box', 'box').definition).toBe(DEF);
    expect(moveToContainer(DEF, 'box', 'inner').definition).toBe(DEF);
    expect(moveToContainer(DEF, 'm1', 'a').definition).toBe(DEF);
    expect(moveToContainer(DEF, 'm1', 'nowhere').definition).toBe(DEF);
  });

  it('undo / redo the moves as history steps', () => {
    let h = createHistory(DEF);
    h = pushHistory(h, reorderInContainer(h.present, 'm3', 0).definition);
    h = pushHistory(h, moveToContainer(h.present, 'm3', 'box').definition);
    expect(roster(h.present)).toEqual(['m1', 'm2']);
    expect(box(h.present)).toEqual(['b1', 'b2', 'inner', 'm3']);
    h = undo(h);
    expect(roster(h.present)).toEqual(['m3', 'm1', 'm2']);
    expect(box(h.present)).toEqual(['b1', 'b2', 'inner']);
    h = undo(h);
    expect(h.present).toBe(DEF);
    h = redo(redo(h));
    expect(box(h.present)).toEqual(['b1', 'b2', 'inner', 'm3']);
    expect(h.future).toEqual([]);
  });
});
