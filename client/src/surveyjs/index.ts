/** SurveyJS for the kiosk: model factory, memoized view, read-aloud. The only survey-core UI importer. */
export { createSurveyModel, disposeSurvey, quizReview, fixChineseLocale, villagerFriendly, ZH_CN_OVERRIDES } from './model';
export type { QuizReview, QuizReviewItem, CreateSurveyOptions, SurveyModel } from './model';
export { SurveyView } from './SurveyView';
export { initSpeech, hasChineseVoice, stopSpeaking } from './read-aloud';
