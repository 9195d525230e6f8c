/**
 * Respondent privacy on a shared tablet (field lessons 4 and 5): the next villager must find no
 * trace of the previous one.
 *
 * Convention: anything that belongs to ONE respondent's session (the answers in progress, the
 * page they are on, a "resume" hint) is kept only in sessionStorage, or — if some code needs it
 * to survive a reload — in localStorage under the prefix `RESPONDENT_KEY_PREFIX`
 * (`cunwen:respondent:`). Use `respondentKey(name)` to build such keys.
 *
 * `wipeRespondentTraces()` guarantees, when it resolves:
 *  - sessionStorage of this origin (this tab) is empty;
 *  - no localStorage key starting with `cunwen:respondent:` remains;
 *  - `window.name` (which survives navigation) is empty.
 * It deliberately does NOT touch:
 *  - the outbox (completed answers waiting for the server: they are deleted once the server has
 *    confirmed them, and the kiosk offers no way to open them);
 *  - census drafts (staff work) and cached form versions, device enrolment, other localStorage keys;
 *  - in-memory objects: the caller must drop its SurveyModel and re-render a fresh form;
 *  - browser history/autofill, which the kiosk avoids by not putting answers in URLs or in
 *    autocomplete-enabled inputs.
 * A storage that throws (disabled, or a browser's privacy mode) is reported, not fatal: the wipe
 * still clears what it can, and reports `complete: false`.
 */

export const RESPONDENT_KEY_PREFIX = 'cunwen:respondent:';

export function respondentKey(name: string): string {
  return `${RESPONDENT_KEY_PREFIX}${name}`;
}

export interface WipeReport {
  sessionKeysCleared: number;
  localKeysCleared: number;
  /** false if a storage threw; the screen should then not claim the tablet is clean */
  complete: boolean;
}

type StorageHolder = { sessionStorage?: Storage; localStorage?: Storage; name?: string };

function storageOf(holder: StorageHolder, which: 'sessionStorage' | 'localStorage'): Storage | undefined {
  // Reading window.localStorage itself throws when storage is disabled.
  return holder[which];
}

export function wipeRespondentTraces(target: StorageHolder = globalThis as StorageHolder): WipeReport {
  const report: WipeReport = { sessionKeysCleared: 0, localKeysCleared: 0, complete: true };
  try {
    const session = storageOf(target, 'sessionStorage');
    if (session) {
      report.sessionKeysCleared = session.length;
      session.clear();
      if (session.length !== 0) report.complete = false;
    }
  } catch {
    report.complete = false;
  }
  try {
    const local = storageOf(target, 'localStorage');
    if (local) {
      const keys: string[] = [];
      for (let i = 0; i < local.length; i += 1) {
        const key = local.key(i);
        if (key !== null && key.startsWith(RESPONDENT_KEY_PREFIX)) keys.push(key);
      }
      for (const key of keys) local.removeItem(key);
      report.localKeysCleared = keys.length;
      for (let i = 0; i < local.length; i += 1) {
        if (local.key(i)?.startsWith(RESPONDENT_KEY_PREFIX)) report.complete = false;
      }
    }
  } catch {
    report.complete = false;
  }
  try {
    if (typeof target.name === 'string' && target.name !== '') target.name = '';
  } catch {
    report.complete = false;
  }
  return report;
}
