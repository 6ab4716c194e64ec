import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import de from './locales/de.json';
import en from './locales/en.json';
import fr from './locales/fr.json';
import ru from './locales/ru.json';
import zh from './locales/zh.json';
import { LANGUAGE_CODES, LANGUAGE_STORAGE_KEY, toLanguageCode } from './languages.ts';

export const resources = { en: { translation: en }, fr: { translation: fr }, de: { translation: de }, ru: { translation: ru }, zh: { translation: zh } } as const;

// The language a person chose is remembered (shell/language-menu.tsx stores it); otherwise it follows the
// browser's languages until the workspace's default locale is known (shell/interface-language.ts). A detected
// language is not cached, so it never passes for a choice.
void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources,
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
