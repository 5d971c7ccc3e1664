/** The MLflow tracking-server REST client (Node and browser). */
export * from './assessments';
export * from './attachments';
export * from './auth';
export * from './client';
export * from './errors';
export * from './experiments';
export * from './http';
export * from './metrics';
export * from './paging';
export * from './reviewqueues';
export * from './shapes';
export * from './uri';
