import type { OpenApiPathItem } from '../openapi/openapi-types.ts';
import { API_KEY_OPERATION_IDS, API_KEY_PATHS, API_KEYS_TAG } from './apikeys.schemas.ts';
import { AUTH_OPERATION_IDS, AUTH_PATHS, AUTH_TAG } from './auth.schemas.ts';
import { USER_OPERATION_IDS, USER_PATHS, USERS_TAG } from './users.schemas.ts';

/** Sign-in, users and API keys in the OpenAPI document: the same schemas the routes validate with. */
export const IDENTITY_PATHS: Record<string, OpenApiPathItem> = { ...AUTH_PATHS, ...USER_PATHS, ...API_KEY_PATHS };
export const IDENTITY_OPERATION_IDS = [...AUTH_OPERATION_IDS, ...USER_OPERATION_IDS, ...API_KEY_OPERATION_IDS];
export const IDENTITY_TAGS = [
  { name: AUTH_TAG, description: 'Sign-in, sign-up, invitations, password resets, two-factor authentication and sign-out.' },
  { name: USERS_TAG, description: 'The members of the workspace.' },
  { name: API_KEYS_TAG, description: 'Scoped, revocable keys for integrations.' },
];
