/** The interface languages, each named in itself for the switcher. */
export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'fr', name: 'Français' },
  { code: 'de', name: 'Deutsch' },
  { code: 'ru', name: 'Русский' },
  { code: 'zh', name: '中文' },
] as const;

export type LanguageCode = (typeof LANGUAGES)[number]['code'];

export const LANGUAGE_CODES: readonly LanguageCode[] = LANGUAGES.map((language) => language.code);

export const LANGUAGE_STORAGE_KEY = 'rapport.language';

/** `fr-CA` → `fr`, `zh-Hans-CN` → `zh`; anything else falls back to English. */
export const toLanguageCode = (tag: string | null | undefined): LanguageCode => {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return (LANGUAGE_CODES as readonly string[]).includes(base) ? (base as LanguageCode) : 'en';
};

/** The BCP 47 locale used by Intl for numbers, dates and currencies. */
export const intlLocaleOf = (code: LanguageCode): string => ({ en: 'en-US', fr: 'fr-FR', de: 'de-DE', ru: 'ru-RU', zh: 'zh-CN' })[code];
