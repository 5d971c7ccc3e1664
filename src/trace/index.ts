/**
 * The trace model: MLflow span dicts parsed into a span tree with derived
 * figures. Pure: no DOM, no network, no imports from outside this folder.
 */
export * from './attributes';
export * from './ids';
export * from './link';
export * from './live';
export * from './span';
export * from './summary';
export * from './tree';
export * from './warnings';
export * from './wire';
export * from './compare';
export * from './format';
export * from './json';
export * from './url';
export * from './conversation';
export * from './wellformed';
export * from './timeseries';
export * from './cost';
export * from './session';
export * from './assessments';
export * from './flame';
export * from './flameRange';
export * from './criticalPath';
export * from './logLevel';
export * from './prompts';
export * from './agentGraph';
export * from './conversationSteps';
export * from './attachments';
