/** The console's own paths that exist while signed out. */
export const LOGIN_PATH = '/console/login';
/** First start: create the first admin with the one-time link `…/console/setup#token=…` the server printed. */
export const SETUP_PATH = '/console/setup';
