export * from './field-types.ts';
export * from './metadata.ts';
export * from './filter.ts';
export * from './errors.ts';
export * from './permissions.ts';
export * from './views.ts';
export * from './exports.ts';
