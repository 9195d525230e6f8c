/**
 * Designer routes (issue 6): XLSForm import (an .xlsx body → SurveyJS definition + problems with
 * row numbers), XLSForm export of a published version, and the diff between two versions (or a
 * version and the draft) with comparability warnings, shown before publishing.
 */
import { z } from 'zod';
import { defineRoute, RESPONDED, type RouteDef } from '../../http/route';
import { AppError } from '../../http/errors';
import { FormKindSchema } from '../../../common/api/forms';
import { DiffResult, XlsformImportResult } from '../../../common/api/designer';
import { checkDefinition } from '../../../common/forms/check-definition';
import { xlsformToSurvey, surveyToXlsformWithProblems } from '../../../common/xlsform';
import { diffDefinitions } from '../../../common/designer/diff';
import { readXlsformWorkbook, writeXlsformWorkbook, XlsxReadError } from '../../xlsform/xlsx';
import type { FormService } from '../forms/forms.service';

const DESIGNERS = ['admin', 'designer'] as const;
const READERS = ['admin', 'designer', 'reviewer', 'analyst', 'enumerator'] as const;

/** An XLSForm is a few hundred rows: 5 MB is generous and keeps exceljs' memory bounded. */
export const XLSFORM_MAX_BYTES = 5 * 1024 * 1024;

const formId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const versionRef = z.union([z.literal('draft'), z.coerce.number().int().positive().max(1_000_000)]);

export function designerRoutes(forms: FormService): RouteDef[] {
  return [
    defineRoute({
      method: 'post', path: '/forms/import/xlsform', tag: 'forms',
      summary: 'Translate an XLSForm (.xlsx) into a SurveyJS definition; lists every row that could not be carried over exactly',
      access: { kind: 'staff', roles: DESIGNERS }, consumes: 'xlsx', bodyLimit: `${XLSFORM_MAX_BYTES}b`,
      query: z.strictObject({ kind: FormKindSchema.optional() }),
      body: z.custom<Buffer>((v) => Buffer.isBuffer(v) && v.length > 0, { message: 'an .xlsx file body is required' }),
      response: XlsformImportResult,
      handler: async ({ body, query }) => {
        let workbook;
        try {
          workbook = await readXlsformWorkbook(body);
        } catch (err) {
          if (err instanceof XlsxReadError) throw new AppError('XLSFORM_UNREADABLE', { zh: err.zh, en: err.en });
          throw err;
        }
        const result = xlsformToSurvey(workbook);
        return {
          definition: result.definition,
          problems: result.problems,
          definitionProblems: checkDefinition(query.kind ?? 'general', result.definition),
          ...(result.title ? { title: result.title } : {}),
          settings: { ...result.settings },
        };
      },
    }),
    defineRoute({
      method: 'get', path: '/forms/:formId/versions/:version/xlsform', tag: 'forms',
      summary: 'Download one published version as an XLSForm .xlsx (X-Xlsform-Problems: how many parts were approximated)',
      access: { kind: 'staff', roles: READERS },
      params: z.strictObject({ formId, version: z.coerce.number().int().positive().max(1_000_000) }),
      handler: async ({ params, res }) => {
        const form = await forms.get(params.formId);
        const version = await forms.getVersion(params.formId, params.version);
        const { workbook, problems } = surveyToXlsformWithProblems(version.definition, { formId: form.slug, version: String(version.version) });
        const buffer = await writeXlsformWorkbook(workbook);
        res.status(200);
        res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        res.setHeader('Content-Disposition', `attachment; filename="${form.slug}-v${version.version}.xlsx"`);
        res.setHeader('X-Xlsform-Problems', String(problems.length));
        res.end(buffer);
        return RESPONDED;
      },
    }),
    defineRoute({
      method: 'get', path: '/forms/:formId/diff', tag: 'forms',
      summary: 'What changed between two versions (default: the latest published version → the draft), with comparability warnings',
      access: { kind: 'staff', roles: READERS },
      params: z.strictObject({ formId }),
      query: z.strictObject({ from: versionRef.optional(), to: versionRef.optional() }),
      response: DiffResult,
      handler: async ({ params, query }) => {
        const form = await forms.get(params.formId);
        const load = async (ref: 'draft' | number) => {
          if (ref !== 'draft') return (await forms.getVersion(params.formId, ref)).definition;
          const editing = await forms.getForEditing(params.formId);
          if (!editing.definition) throw new AppError('FORM_NO_DRAFT', { id: params.formId });
          return editing.definition;
        };
        const fromRef = query.from ?? form.latestVersion;
        const toRef = query.to ?? 'draft';
        const fromDef = fromRef === null ? null : await load(fromRef);
        const diff = diffDefinitions(form.kind, fromDef, await load(toRef));
        return { from: fromRef === 'draft' ? null : fromRef, to: toRef, ...diff };
      },
    }),
  ];
}
