/** The offline core of the tablet client (plain TypeScript; no React). */
export * from './db';
export * from './outbox';
export * from './form-versions';
export * from './drafts';
export * from './sync';
export * from './privacy';
export { newId } from './ids';
