export * from './form-walk';
export * from './answers';
export * from './knowledge';
export * from './satisfaction';
export * from './indicator';
