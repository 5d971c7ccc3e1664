/**
 * Review mode's view: the review bar and its keys.
 */
export * from './reviewClasses';
export * from './reviewKeys';
export * from './reviewRules';
export * from './ReviewBar';
export * from './ReviewStart';
