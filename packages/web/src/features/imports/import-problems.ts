import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';

const IMPORT_CODES = {
  FORBIDDEN: 'imports.problems.forbidden',
  LICENCE_FEATURE_REQUIRED: 'imports.problems.licence',
  IMPORT_FILE_TOO_LARGE: 'imports.problems.tooLarge',
  IMPORT_FILE_UNREADABLE: 'imports.problems.unreadable',
  IMPORT_NOT_UNDOABLE: 'imports.problems.notUndoable',
  IMPORT_NOT_FOUND: 'imports.problems.notFound',
} as const;

/**
 * A failed import request in plain words: the import's own refusals get a sentence of their own (an
 * unreadable file keeps the server's reason in English, it names what is wrong); anything else as the
 * app says problems, with the API's per-field messages.
 */
export const importProblemMessage = (t: TFunction, language: string, error: unknown): string => {
  if (isApiError(error) && error.code in IMPORT_CODES) {
    if (error.code === 'IMPORT_FILE_UNREADABLE' && language.startsWith('en')) return error.message;
    return t(IMPORT_CODES[error.code as keyof typeof IMPORT_CODES]);
  }
  const base = problemMessage(t, error);
  const details = isApiError(error) && language.startsWith('en') ? error.fieldErrors.map((entry) => entry.message).filter((message) => message && message !== base) : [];
  return [base, ...details].join(' ');
};

/** `importProblemMessage` in the interface language. */
export const useImportProblemMessage = () => {
  const { t, i18n } = useTranslation();
  return (error: unknown): string => importProblemMessage(t, i18n.resolvedLanguage ?? i18n.language, error);
};
