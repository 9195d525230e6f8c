/** @jest-environment jsdom */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { ApiError } from '../../../client/src/api/index';
import type { FormWithProblemsDto } from '../../../client/src/api/designer';

jest.mock('../../../client/src/ui/styles.css', () => ({}));
jest.mock('../../../client/src/surveyjs/preview', () => ({ SurveyPreview: () => null }));
jest.mock('../../../client/src/api/designer', () => ({ getForm: jest.fn(), saveDraft: jest.fn() }));

// imported after the mocks are declared (swc hoists jest.mock above imports as well)
import { getForm, saveDraft } from '../../../client/src/api/designer';
import { Editor, AUTOSAVE_MS } from '../../../client/src/features/designer/Editor';

const getFormMock = getForm as jest.MockedFunction<typeof getForm>;
const saveDraftMock = saveDraft as jest.MockedFunction<typeof saveDraft>;

function form(title: string, draftUpdatedAt: string): FormWithProblemsDto {
  return {
    id: 'f1', slug: 'f1', kind: 'general', title: { zh: '表' }, status: 'draft', latestVersion: null, hasDraft: true,
    draftUpdatedAt, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: draftUpdatedAt,
    draft: { title, pages: [{ name: 'p1', elements: [{ type: 'text', name: 'q1' }] }] }, problems: [],
  };
}
const conflict = () => new ApiError('FORM_DRAFT_CONFLICT', '草稿已被他人修改', 409, {});

beforeEach(() => { jest.useFakeTimers(); getFormMock.mockReset(); saveDraftMock.mockReset(); });
afterEach(() => { jest.useRealTimers(); });

async function openEditor() {
  getFormMock.mockResolvedValueOnce(form('本机', 'rev-1'));
  render(<Editor formId="f1" onBack={() => undefined} />);
  await act(async () => { await Promise.resolve(); });
  return screen.findByTestId('designer-editor');
}
async function typeSurveyTitle(value: string) {
  fireEvent.change(screen.getByTestId('prop-title-zh'), { target: { value } });
  await act(async () => { jest.advanceTimersByTime(AUTOSAVE_MS + 10); await Promise.resolve(); });
}

describe('designer autosave: draft conflicts', () => {
  it('sends the base revision, shows the banner on 409, stops autosaving, and overwrites only when asked', async () => {
    await openEditor();
    saveDraftMock.mockRejectedValueOnce(conflict());
    await typeSurveyTitle('我的修改');
    expect(saveDraftMock).toHaveBeenCalledTimes(1);
    expect(saveDraftMock.mock.calls[0]?.[1]).toMatchObject({ expectedDraftUpdatedAt: 'rev-1' });
    const banner = await screen.findByTestId('draft-conflict');
    expect(banner.getAttribute('role')).toBe('alert');
    expect(banner.textContent).toContain('草稿已被他人修改');
    expect(screen.getByTestId('save-state').getAttribute('data-state')).toBe('conflict');

    // more edits: no more autosaves while the conflict is open
    await typeSurveyTitle('我的修改 2');
    expect(saveDraftMock).toHaveBeenCalledTimes(1);

    // explicit overwrite: no expected revision; the banner goes; the new revision is the base
    saveDraftMock.mockResolvedValueOnce(form('我的修改 2', 'rev-3'));
    await act(async () => { fireEvent.click(screen.getByTestId('conflict-overwrite')); await Promise.resolve(); });
    expect(saveDraftMock).toHaveBeenCalledTimes(2);
    expect(saveDraftMock.mock.calls[1]?.[1]).not.toHaveProperty('expectedDraftUpdatedAt');
    expect((saveDraftMock.mock.calls[1]?.[1].definition as { title?: unknown }).title).toBe('我的修改 2');
    expect(screen.queryByTestId('draft-conflict')).toBeNull();

    saveDraftMock.mockResolvedValueOnce(form('再改', 'rev-4'));
    await typeSurveyTitle('再改');
    expect(saveDraftMock.mock.calls[2]?.[1]).toMatchObject({ expectedDraftUpdatedAt: 'rev-3' });
  });

  it("reload takes the server's draft and its revision, and autosave resumes from it", async () => {
    await openEditor();
    saveDraftMock.mockRejectedValueOnce(conflict());
    await typeSurveyTitle('我的修改');
    await screen.findByTestId('draft-conflict');
    getFormMock.mockResolvedValueOnce(form('别人的修改', 'rev-2'));
    await act(async () => { fireEvent.click(screen.getByTestId('conflict-reload')); await Promise.resolve(); });
    expect(screen.queryByTestId('draft-conflict')).toBeNull();
    expect((screen.getByTestId('prop-title-zh') as HTMLInputElement).value).toBe('别人的修改');
    expect(screen.getByTestId('undo').hasAttribute('disabled')).toBe(true);
    saveDraftMock.mockResolvedValueOnce(form('接着改', 'rev-5'));
    await typeSurveyTitle('接着改');
    expect(saveDraftMock).toHaveBeenCalledTimes(2);
    expect(saveDraftMock.mock.calls[1]?.[1]).toMatchObject({ expectedDraftUpdatedAt: 'rev-2' });
  });
});
