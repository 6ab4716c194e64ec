import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client.ts';
import { formErrorsOf } from './form-errors.ts';

const t = ((key: string) => `t:${key}`) as unknown as TFunction;

describe('formErrorsOf', () => {
  it('should put field errors next to the fields the form has and the rest in the general message', () => {
    const error = new ApiError({
      status: 422,
      code: 'VALIDATION_FAILED',
      errors: [
        { field: 'password', code: 'tooShort', message: 'At least 10 characters.' },
        { field: 'roleId', code: 'required', message: 'Choose a role.' },
      ],
    });
    expect(formErrorsOf(t, 'en', error, ['password'])).toEqual({ byField: { password: 'At least 10 characters.' }, general: 'Choose a role.' });
  });

  it('should translate a known field code in other languages', () => {
    const error = new ApiError({ status: 422, code: 'VALIDATION_FAILED', errors: [{ field: 'email', code: 'invalidEmail', message: 'Not an email.' }] });
    expect(formErrorsOf(t, 'fr', error, ['email']).byField).toEqual({ email: 't:fieldErrors.invalidEmail' });
  });

  it('should show the problem itself when there is no field error', () => {
    expect(formErrorsOf(t, 'en', new ApiError({ status: 403, code: 'FORBIDDEN' }), ['email'])).toEqual({ byField: {}, general: 't:problems.FORBIDDEN' });
    expect(formErrorsOf(t, 'en', new Error('boom'), ['email'])).toEqual({ byField: {}, general: 't:problems.INTERNAL' });
  });
});
