import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGE_CODES, LANGUAGE_STORAGE_KEY, type LanguageCode } from '../../i18n/languages.ts';

/** `fr-CA` → `fr`; null for a language the interface does not have. */
export const supportedLanguageOf = (tag: string | null | undefined): LanguageCode | null => {
  const base = (tag ?? '').toLowerCase().split(/[-_]/)[0] ?? '';
  return (LANGUAGE_CODES as readonly string[]).includes(base) ? (base as LanguageCode) : null;
};

/**
 * The interface language: the one the person chose in the header, else the workspace's default
 * locale (Settings › Workspace), else the browser's first supported language, else English.
 */
export const resolveInterfaceLanguage = ({ chosen, workspaceLocale, browserLanguages }: { chosen: string | null; workspaceLocale: string | null | undefined; browserLanguages: readonly string[] }): LanguageCode =>
  supportedLanguageOf(chosen) ?? supportedLanguageOf(workspaceLocale) ?? browserLanguages.map(supportedLanguageOf).find((code) => code !== null) ?? 'en';

/** The language the person chose in this browser, if any. */
export const readChosenLanguage = (): string | null => {
  try {
    return window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
  } catch {
    return null;
  }
};

/** Remembers the person's own choice (only a choice is stored: a language that was merely detected is not). */
export const rememberChosenLanguage = (code: LanguageCode) => {
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, code);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
};

/** Forgets the person's choice: the interface follows the workspace's default locale again. */
export const forgetChosenLanguage = () => {
  try {
    window.localStorage.removeItem(LANGUAGE_STORAGE_KEY);
  } catch {
    // Nothing was stored.
  }
};

/** The browser's languages, most preferred first. */
export const browserLanguages = (): readonly string[] => navigator.languages ?? [navigator.language];

/** Once signed in, a person who never chose a language gets the workspace's default locale. */
export const useWorkspaceLanguage = (workspaceLocale: string | null | undefined) => {
  const { i18n } = useTranslation();
  useEffect(() => {
    if (!workspaceLocale) return;
    const next = resolveInterfaceLanguage({ chosen: readChosenLanguage(), workspaceLocale, browserLanguages: browserLanguages() });
    if (next !== i18n.resolvedLanguage) void i18n.changeLanguage(next);
  }, [workspaceLocale, i18n]);
};
