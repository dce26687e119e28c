export * from './vocabulary';
export * from './schedule';
export * from './streak';
export * from './messages';
export * from './limits';
export * from './next-run';
