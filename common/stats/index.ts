export * from './special';
export * from './intervals';
export * from './targets';
export * from './stratified';
export * from './suppression';
export * from './format';
export * from './summary';
