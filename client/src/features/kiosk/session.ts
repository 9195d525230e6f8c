/**
 * One respondent's (or one census household's) session: a fresh SurveyJS model, held only in
 * memory — never in the URL, history state or any storage.
 */
import type { FormKind } from '../../../../common/api/forms';
import type { SubmissionItem } from '../../../../common/api/submissions';
import { createSurveyModel, disposeSurvey, stopSpeaking, type SurveyModel } from '../../surveyjs';
import { newId } from '../../offline/ids';
import { wipeRespondentTraces } from '../../offline/privacy';
import type { FormVersionRecord } from '../../offline/form-versions';

export interface Session {
  /** the submission id (for a census draft, the draft id) */
  id: string;
  formId: string;
  version: number;
  kind: FormKind;
  orgUnit: string;
  deviceId: string;
  startedAt: string;
  model: SurveyModel;
  /** census: this session continues a saved draft */
  draft: boolean;
}

export function openSession(args: {
  record: FormVersionRecord;
  kind: FormKind;
  orgUnit: string;
  deviceId: string;
  readAloudLabel: string;
  id?: string;
  startedAt?: string;
  data?: Record<string, unknown>;
}): Session {
  const model = createSurveyModel(args.record.definition, { kind: args.kind, readAloudLabel: args.readAloudLabel, ...(args.data ? { data: args.data } : {}) });
  return {
    id: args.id ?? newId(),
    formId: args.record.formId,
    version: args.record.version,
    kind: args.kind,
    orgUnit: args.orgUnit,
    deviceId: args.deviceId,
    startedAt: args.startedAt ?? new Date().toISOString(),
    model,
    draft: args.id !== undefined,
  };
}

export function sessionItem(session: Session, answers: Record<string, unknown>): SubmissionItem {
  return {
    id: session.id,
    formId: session.formId,
    formVersion: session.version,
    orgUnit: session.orgUnit,
    answers,
    startedAt: session.startedAt,
    completedAt: new Date().toISOString(),
    device: session.deviceId.slice(0, 100),
  };
}

/** Ends a session: the model is cleared and disposed, speech stopped, per-tab traces wiped. */
export function closeSession(session: Session | null): void {
  if (!session) return;
  stopSpeaking();
  disposeSurvey(session.model);
  wipeRespondentTraces();
}
