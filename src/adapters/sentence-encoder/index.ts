export * from './model-files';
export * from './encoder';
