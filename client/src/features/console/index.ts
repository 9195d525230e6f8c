/** The staff console: its shell (default export, lazily loaded by App.tsx) and its extension points. */
export { default } from './ConsoleApp';
