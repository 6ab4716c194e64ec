import { ERROR_CODES, type ErrorCode, type FieldError } from '@rapport/common';

/** The one error type the engine throws for expected failures; the API turns it into problem+json. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, detail: string, options: { errors?: FieldError[]; headers?: Record<string, string> } = {}) {
    super(detail);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

export const invalidQuery = (detail: string, field?: string): AppError =>
  new AppError('INVALID_QUERY', detail, field ? { errors: [{ field, code: 'invalidQuery', message: detail }] } : {});

export const validationFailed = (errors: FieldError[], detail = 'Some values are invalid; nothing was saved.'): AppError =>
  new AppError('VALIDATION_FAILED', detail, { errors });
