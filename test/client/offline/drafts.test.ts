/** @jest-environment jsdom */
import './helpers';
import 'fake-indexeddb/auto';
import { closeDb } from '../../../client/src/offline/db';
import { DraftError, deleteDraft, listDrafts, loadDraft, saveDraft, submitDraft } from '../../../client/src/offline/drafts';
import {
  cacheFormVersion,
  getFormVersion,
  listFormVersions,
  pruneFormVersions,
  setCurrentFormVersions,
} from '../../../client/src/offline/form-versions';
import { counts, getOutboxRecord, markResults } from '../../../client/src/offline/outbox';
import { freshIndexedDb, newUuid } from './helpers';

beforeEach(freshIndexedDb);
afterAll(closeDb);

const V1 = { title: '人口普查 v1', pages: [{ elements: [{ type: 'text', name: 'head' }] }] };
const V2 = { title: '人口普查 v2', pages: [{ elements: [{ type: 'text', name: 'householdHead' }] }] };

const base = { formId: 'census', formVersion: 1, orgUnit: 'v-01', data: { head: '王' }, label: '3组 王家' };

async function cachedKeys(): Promise<string[]> {
  return (await listFormVersions()).map((r) => r.key).sort();
}

describe('drafts', () => {
  test('save / load / list / delete', async () => {
    const t1 = new Date('2026-03-01T08:00:00.000Z');
    const t2 = new Date('2026-03-02T08:00:00.000Z');
    const a = await saveDraft(base, { definition: V1, now: t1 });
    const b = await saveDraft({ ...base, label: '3组 李家' }, { now: t2 });
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).toMatchObject({ ...base, startedAt: t1.toISOString(), updatedAt: t1.toISOString() });

    const loaded = await loadDraft(a.id);
    expect(loaded?.draft).toEqual(a);
    expect(loaded?.definition?.definition).toEqual(V1);
    expect((await listDrafts()).map((d) => d.id)).toEqual([b.id, a.id]);

    // an update keeps startedAt and moves the draft to the top
    const t3 = new Date('2026-03-03T08:00:00.000Z');
    const a2 = await saveDraft({ ...base, id: a.id, data: { head: '王', members: 4 } }, { now: t3 });
    expect(a2).toMatchObject({ startedAt: t1.toISOString(), updatedAt: t3.toISOString(), data: { head: '王', members: 4 } });
    expect((await listDrafts()).map((d) => d.id)).toEqual([a.id, b.id]);

    expect(await deleteDraft(a.id)).toBe(true);
    expect(await deleteDraft(a.id)).toBe(false);
    expect(await loadDraft(a.id)).toBeUndefined();
    expect((await listDrafts()).map((d) => d.id)).toEqual([b.id]);
  });

  test('a draft cannot be saved without its version definition on the device', async () => {
    await expect(saveDraft(base)).rejects.toMatchObject({ code: 'FORM_VERSION_NOT_CACHED' });
    expect(await listDrafts()).toEqual([]);
  });

  test('a draft keeps the form version it was started in', async () => {
    const d = await saveDraft(base, { definition: V1 });
    await cacheFormVersion('census', 2, V2, { current: true });
    const err = await saveDraft({ ...base, id: d.id, formVersion: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DraftError);
    expect(err).toMatchObject({ code: 'DRAFT_VERSION_CHANGED' });
    expect((await loadDraft(d.id))?.draft.formVersion).toBe(1);
  });

  test('a draft pins its version after the form is republished, until it is deleted', async () => {
    await cacheFormVersion('census', 1, V1, { current: true });
    const d = await saveDraft(base);
    // the form is republished: the tablet moves to v2
    await cacheFormVersion('census', 2, V2);
    await setCurrentFormVersions(['census@2']);
    expect(await cachedKeys()).toEqual(['census@1', 'census@2']);
    expect((await getFormVersion('census', 1))?.current).toBe(false);
    await pruneFormVersions();
    expect((await loadDraft(d.id))?.definition?.definition).toEqual(V1);

    await deleteDraft(d.id);
    expect(await cachedKeys()).toEqual(['census@2']);
  });

  test('submitting a draft queues it under the draft id, atomically, and once', async () => {
    await cacheFormVersion('census', 1, V1, { current: true });
    const d = await saveDraft({ ...base, id: newUuid(), startedAt: '2026-03-01T08:00:00.000Z' });
    await setCurrentFormVersions(['census@2']); // republished meanwhile
    const now = new Date('2026-03-05T09:00:00.000Z');
    const result = await submitDraft(d.id, { device: 'tab-07', now });
    expect(result).toEqual({ status: 'queued', seq: 1 });
    expect(await loadDraft(d.id)).toBeUndefined();
    const record = await getOutboxRecord(d.id);
    expect(record?.item).toEqual({
      id: d.id,
      formId: 'census',
      formVersion: 1,
      orgUnit: 'v-01',
      answers: { head: '王' },
      startedAt: '2026-03-01T08:00:00.000Z',
      completedAt: now.toISOString(),
      device: 'tab-07',
    });
    // the version stays cached while the queued item needs it
    expect(await cachedKeys()).toEqual(['census@1']);

    expect(await submitDraft(d.id)).toEqual({ status: 'exists', state: 'queued' });
    expect((await counts()).queued).toBe(1);
    await expect(submitDraft(newUuid())).rejects.toMatchObject({ code: 'DRAFT_NOT_FOUND' });

    await markResults([{ id: d.id, index: 0, status: 'stored' }], [d.id]);
    await pruneFormVersions();
    expect(await cachedKeys()).toEqual([]);
  });

  test('a draft whose answers fail the submission schema stays a draft', async () => {
    await cacheFormVersion('census', 1, V1);
    const d = await saveDraft(base);
    await expect(submitDraft(d.id, { completedAt: 'not a date' })).rejects.toThrow();
    expect((await loadDraft(d.id))?.draft.id).toBe(d.id);
    expect((await counts()).queued).toBe(0);
  });
});
