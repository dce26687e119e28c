export * from './validate';
export * from './store';
