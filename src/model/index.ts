export type * from './desired.js';
export * from './live.js';
export type * from './target.js';
export * from './plan.js';
