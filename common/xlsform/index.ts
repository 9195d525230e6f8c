export type { Row, XlsFormSettings, XlsProblem, XlsProblemCode, XlsRow, XlsSheetName, XlsWorkbook } from './types';
export { xlsformToSurvey, type XlsToSurveyResult } from './to-survey';
export { surveyToXlsform, surveyToXlsformWithProblems, type SurveyToXlsOptions, type SurveyToXlsResult } from './from-survey';
export { parseXls, printXls, translate, xlsToSurveyExpression, XlsExprError, type QuestionInfo, type TranslateContext, type XExpr } from './expression';
export { surveyToXlsExpression, type ReverseContext } from './reverse-expression';
export { localeOfLanguage, languageOfLocale } from './languages';
