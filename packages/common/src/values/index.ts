export * from './result.ts';
export * from './email.ts';
export * from './phone.ts';
export * from './url.ts';
export * from './currency.ts';
export * from './country.ts';
export * from './date.ts';
export * from './rich-text.ts';
