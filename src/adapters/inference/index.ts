export * from './errors';
export * from './labels';
export * from './kserve-response';
export * from './kserve-client';
