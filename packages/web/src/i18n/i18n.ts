import i18n, { type BackendModule, type ResourceKey } from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import en from './locales/en.json';
import { LANGUAGE_CODES, LANGUAGE_STORAGE_KEY, toLanguageCode } from './languages.ts';

// English ships in the app's entry chunk (it is also every language's fallback); each other language is a chunk
// of its own, fetched when it is first used: the entry does not carry four languages nobody on the page reads.
const otherLanguages = import.meta.glob<ResourceKey>(['./locales/*.json', '!./locales/en.json'], { import: 'default' });

const lazyLanguages: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read: (language, _namespace, callback) => {
    const load = otherLanguages[`./locales/${language}.json`];
    if (!load) return callback(null, language === 'en' ? en : {});
    load().then(
      (resources) => callback(null, resources),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), null),
    );
  },
};

// The language a person chose is remembered (shell/language-menu.tsx stores it); otherwise it follows the
// browser's languages until the workspace's default locale is known (shell/interface-language.ts). A detected
// language is not cached, so it never passes for a choice.
// `i18nReady` resolves once the first language's texts are loaded: the app renders after it, never with raw keys.
export const i18nReady = i18n
  .use(LanguageDetector)
  .use(lazyLanguages)
  .use(initReactI18next)
  .init({
    resources: { en: { translation: en } },
    partialBundledLanguages: true,
    supportedLngs: [...LANGUAGE_CODES],
    nonExplicitSupportedLngs: true,
    load: 'languageOnly',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    detection: { order: ['localStorage', 'navigator'], lookupLocalStorage: LANGUAGE_STORAGE_KEY, caches: [] },
    returnNull: false,
  });

const syncDocumentLanguage = (language: string) => {
  document.documentElement.lang = toLanguageCode(language);
};
syncDocumentLanguage(i18n.resolvedLanguage ?? i18n.language);
i18n.on('languageChanged', syncDocumentLanguage);

export { i18n };
