/** The kiosk feature: screens and their non-React services. Staff mode is imported lazily by app/. */
export { EnrolScreen } from './EnrolScreen';
export { HomeScreen } from './HomeScreen';
export { RespondentScreen } from './RespondentScreen';
export { QuizResultScreen } from './QuizResultScreen';
export { ThankYouScreen } from './ThankYouScreen';
export { PinScreen } from './PinScreen';
export { CensusListScreen, CensusFillScreen } from './CensusScreen';
export { loadDevice, refreshDevice, DEFAULT_SETTINGS, type DeviceState, type FormTile } from './device';
export { startSync, stopSync, nudgeSync, refreshCounts } from './sync-service';
export { openSession, closeSession, type Session } from './session';
export { GroupScreen, needsGroupChoice } from './GroupScreen';
