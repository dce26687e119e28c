export * from './canary';
export * from './evaluation';
export * from './routing';
