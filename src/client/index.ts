/** The MLflow tracking-server REST client (Node and browser). */
export * from './auth';
export * from './client';
export * from './errors';
export * from './experiments';
export * from './http';
export * from './metrics';
export * from './paging';
export * from './shapes';
export * from './uri';
