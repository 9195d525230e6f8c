/**
 * CunWen's custom SurveyJS properties, registered once on the base `question` class so every
 * question type accepts them in JSON (otherwise survey-core reports them as unknown properties).
 *
 * | property             | type    | default | meaning                                                        |
 * |----------------------|---------|---------|----------------------------------------------------------------|
 * | `sensitive`          | boolean | false   | PIPL sensitive / identifying field (national ID, name, phone,  |
 * |                      |         |         | reproductive health): encrypted at rest, masked in views. Not  |
 * |                      |         |         | allowed at all in anonymous (knowledge, satisfaction) forms.   |
 * | `scored`             | boolean | true    | knowledge forms: `false` marks a choice question that is NOT a |
 * |                      |         |         | quiz item (respondent profile: `age_band`, `sex`). Every other |
 * |                      |         |         | choice question of a knowledge form needs a `correctAnswer`.   |
 * | `points`             | number  | (none)  | quiz weight. When absent: single choice / true-false = 1,      |
 * |                      |         |         | checkbox (multi-select) = 2, all-or-nothing (metrics.md §2).   |
 * | `dimension`          | string  | (none)  | satisfaction service dimension id (e.g. `attitude`).          |
 * | `notApplicableValue` | string  | (none)  | the choice value meaning 不适用/没有接触过 ("na"): excluded    |
 * |                      |         |         | from rate denominators (metrics.md §3–4).                      |
 *
 * Import this module (for its side effect) before constructing any `Model` from a CunWen
 * definition; `check-definition.ts` does.
 */
import { Serializer } from 'survey-core';

export const CUNWEN_QUESTION_PROPERTIES = ['sensitive', 'scored', 'points', 'dimension', 'notApplicableValue'] as const;

/** Default weight of a quiz item when `points` is absent (metrics.md §2). */
export function defaultPoints(questionType: string): number {
  return questionType === 'checkbox' || questionType === 'tagbox' ? 2 : 1;
}

function register(): void {
  // findProperty guards against double registration (module re-evaluation in tests, HMR).
  if (!Serializer.findProperty('question', 'sensitive')) {
    Serializer.addProperty('question', { name: 'sensitive:boolean', default: false, category: 'cunwen' });
  }
  if (!Serializer.findProperty('question', 'scored')) {
    Serializer.addProperty('question', { name: 'scored:boolean', default: true, category: 'cunwen' });
  }
  if (!Serializer.findProperty('question', 'points')) {
    Serializer.addProperty('question', { name: 'points:number', minValue: 0, category: 'cunwen' });
  }
  if (!Serializer.findProperty('question', 'dimension')) {
    Serializer.addProperty('question', { name: 'dimension', category: 'cunwen' });
  }
  if (!Serializer.findProperty('question', 'notApplicableValue')) {
    Serializer.addProperty('question', { name: 'notApplicableValue', category: 'cunwen' });
  }
}

register();
