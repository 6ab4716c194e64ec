/**
 * Stable error codes of the public API. Each code has one HTTP status and one title;
 * docs/reference/errors.md lists them and a test keeps the two in step.
 */
export const ERROR_CODES = {
  /** The request body is not valid JSON. */
  MALFORMED_JSON: { status: 400, title: 'Malformed JSON' },
  /** The request does not match the endpoint's schema (query string, body shape). */
  INVALID_REQUEST: { status: 400, title: 'Invalid request' },
  /** A filter, sort, group or metric names something that does not exist or uses an operator the field type does not support. */
  INVALID_QUERY: { status: 400, title: 'Invalid query' },
  /** A pagination cursor was not produced by this query. */
  INVALID_CURSOR: { status: 400, title: 'Invalid cursor' },
  /** An invitation or password-reset link is unknown, expired or already used. */
  LINK_INVALID: { status: 400, title: 'Invalid or expired link' },
  /** A write sets a field the caller's role makes read-only; `errors` names each field. Nothing was written. */
  READ_ONLY_FIELD: { status: 400, title: 'Read-only field' },
  /** A query sorts, groups, aggregates or compares (other than for equality on a blind-indexed email or phone) an encrypted field; `errors` names it. */
  ENCRYPTED_FIELD_UNSUPPORTED: { status: 400, title: 'Not possible on an encrypted field' },
  /** No credentials, or credentials that are unknown, expired or revoked. */
  UNAUTHENTICATED: { status: 401, title: 'Authentication required' },
  /** The password is right but the account has two-factor authentication: send `totp` (a code or a recovery code). */
  TOTP_REQUIRED: { status: 401, title: 'Two-factor code required' },
  /** The two-factor code is wrong, expired or was already used. */
  TOTP_INVALID: { status: 401, title: 'Invalid two-factor code' },
  /** Single sign-on failed: the provider refused or returned an invalid answer, the sign-in took too long, or no account may be created. */
  SSO_FAILED: { status: 401, title: 'Single sign-on failed' },
  /** The credentials are valid but do not allow this action. */
  FORBIDDEN: { status: 403, title: 'Forbidden' },
  /** The caller's licence type does not include the feature this request needs (the detail names the licence and the feature). */
  LICENCE_FEATURE_REQUIRED: { status: 403, title: 'Licence feature required' },
  /** The account is deactivated in this workspace; an administrator can reactivate it. */
  ACCOUNT_DEACTIVATED: { status: 403, title: 'Account deactivated' },
  /** The workspace or the user's role requires two-factor authentication: only the enrolment routes answer until it is on. */
  TWO_FACTOR_ENROLMENT_REQUIRED: { status: 403, title: 'Two-factor enrolment required' },
  /** A request authenticated by the session cookie changes something without a valid `x-csrf-token` header. */
  CSRF_TOKEN_INVALID: { status: 403, title: 'Missing or invalid CSRF token' },
  /** Sign-up only creates the first administrator of an instance; afterwards people are invited. */
  SIGN_UP_CLOSED: { status: 403, title: 'Sign-up closed' },
  /** The route does not exist. */
  ROUTE_NOT_FOUND: { status: 404, title: 'Route not found' },
  /** The object does not exist in this workspace. */
  OBJECT_NOT_FOUND: { status: 404, title: 'Object not found' },
  /** The field does not exist on this object. */
  FIELD_NOT_FOUND: { status: 404, title: 'Field not found' },
  /** The record does not exist (or is in the trash, for operations on live records). */
  RECORD_NOT_FOUND: { status: 404, title: 'Record not found' },
  /** The workspace does not exist. */
  WORKSPACE_NOT_FOUND: { status: 404, title: 'Workspace not found' },
  /** The user is not a member of this workspace. */
  USER_NOT_FOUND: { status: 404, title: 'User not found' },
  /** No enabled single sign-on provider of that name in that workspace. */
  SSO_PROVIDER_NOT_FOUND: { status: 404, title: 'Single sign-on provider not found' },
  /** No notification with this id for the calling user. */
  NOTIFICATION_NOT_FOUND: { status: 404, title: 'Notification not found' },
  /** No import with this id in this workspace. */
  IMPORT_NOT_FOUND: { status: 404, title: 'Import not found' },
  /** No saved import mapping with this id in this workspace. */
  IMPORT_MAPPING_NOT_FOUND: { status: 404, title: 'Import mapping not found' },
  /** No merge with this id in the workspace, or one whose records the caller may not read. */
  MERGE_NOT_FOUND: { status: 404, title: 'Merge not found' },
  /** No duplicate pair with this id, or one whose records the caller may not read (or no longer live). */
  DUPLICATE_PAIR_NOT_FOUND: { status: 404, title: 'Duplicate pair not found' },
  /** No sandbox with this id made from this workspace. */
  SANDBOX_NOT_FOUND: { status: 404, title: 'Sandbox not found' },
  /** No configuration deployment with this id in this workspace. */
  DEPLOYMENT_NOT_FOUND: { status: 404, title: 'Deployment not found' },
  /** No published booking page at this address (`/book/{slug}`): unknown, unpublished or in the trash. */
  BOOKING_PAGE_NOT_FOUND: { status: 404, title: 'Booking page not found' },
  /** A booking's manage link names no booking (mistyped or made up). */
  BOOKING_NOT_FOUND: { status: 404, title: 'Booking not found' },
  /** The HTTP method is not allowed on this route. */
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  /** A name (object, field, workspace) is already taken. */
  ALREADY_EXISTS: { status: 409, title: 'Already exists' },
  /** A unique field already holds this value in another record; or a field cannot be made unique while live records share values. */
  UNIQUE_VIOLATION: { status: 409, title: 'Unique value already used' },
  /** The change conflicts with the current state (e.g. restoring a record that is not deleted). */
  CONFLICT: { status: 409, title: 'Conflict' },
  /** Live records still point at the record through a relation whose `onDelete` is `restrict` (the detail names their object and count): change or delete them first. */
  RECORD_REFERENCED: { status: 409, title: 'Record still referenced' },
  /** The role is still given to members of the workspace: give them another role first. */
  ROLE_IN_USE: { status: 409, title: 'Role in use' },
  /** A licence has no free seat: all named seats are held, or all concurrent seats are in use (the detail names the limit and, for concurrent seats, who holds them). */
  SEAT_LIMIT_REACHED: { status: 409, title: 'Seat limit reached' },
  /** The import cannot be undone: it is a dry run, still queued or running, or already undone (or being undone). */
  IMPORT_NOT_UNDOABLE: { status: 409, title: 'Import cannot be undone' },
  /** The user's licence type does not allow the role being given (the role lists the licences it allows). */
  ROLE_LICENCE_MISMATCH: { status: 409, title: 'Role not allowed by licence' },
  /** The merge was undone already. */
  MERGE_ALREADY_UNDONE: { status: 409, title: 'Merge already undone' },
  /** A merge cannot be undone: the record kept changed after the merge (undoing would lose those changes), is in the trash, or a merged record was restored already. */
  MERGE_UNDO_CONFLICT: { status: 409, title: 'Merge cannot be undone' },
  /** A backup is already being written (scheduled or asked for): wait for it to finish. */
  BACKUP_IN_PROGRESS: { status: 409, title: 'Backup in progress' },
  /** The backup was written by a newer Rapport (migrations this version does not know): upgrade, then restore. */
  BACKUP_TOO_NEW: { status: 409, title: 'Backup from a newer version' },
  /** The backup is of the other engine (embedded or PostgreSQL) than the database it would be restored into. */
  BACKUP_ENGINE_MISMATCH: { status: 409, title: 'Backup of another engine' },
  /** The workspace's configuration changed since the preview whose `fingerprint` the deployment sent: preview again, then deploy. Nothing was changed. */
  CONFIGURATION_CHANGED: { status: 409, title: 'Configuration changed since the preview' },
  /** Only the latest applied deployment of a workspace can be rolled back (roll back the later ones first); a failed or rolled-back one cannot. */
  DEPLOYMENT_NOT_ROLLBACKABLE: { status: 409, title: 'Deployment cannot be rolled back' },
  /** The slot was booked by someone else a moment ago (or its member became busy): pick another one. Nothing was booked. */
  SLOT_TAKEN: { status: 409, title: 'Slot taken' },
  /** A booking's manage link can no longer change it: cancelled, over, or (to reschedule) its page is unpublished. */
  BOOKING_CLOSED: { status: 409, title: 'Booking closed' },
  /** The `If-Match` version does not match the record's current version; nothing was changed. */
  VERSION_MISMATCH: { status: 412, title: 'Version mismatch' },
  /** The request body is larger than the server accepts. */
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  /** The uploaded import file is larger than the server accepts (the detail names the limit). */
  IMPORT_FILE_TOO_LARGE: { status: 413, title: 'Import file too large' },
  /** The request body is not JSON. */
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  /** One or more values are invalid; `errors` lists each field. Nothing was written. */
  VALIDATION_FAILED: { status: 422, title: 'Validation failed' },
  /** A conversion needs the rate of a currency that has no `exchangeRate` record at all; `errors` names the side (`from`, `to`). */
  EXCHANGE_RATE_MISSING: { status: 422, title: 'Exchange rate missing' },
  /** The uploaded import file cannot be read as CSV or XLSX (empty, not a spreadsheet, a runaway quoted field); the detail says why. */
  IMPORT_FILE_UNREADABLE: { status: 422, title: 'Import file unreadable' },
  /** A metadata change is not valid (bad name, unknown type, missing relation target...). */
  INVALID_METADATA: { status: 422, title: 'Invalid metadata' },
  /** The field that titles an object's records (`labelField`: notifications, search hits, favourites) would be encrypted: by encrypting it, by creating it encrypted, or by making an encrypted field the title. `errors` names it. */
  ENCRYPTED_TITLE_FIELD: { status: 422, title: 'Title field cannot be encrypted' },
  /** The file is not a usable Rapport backup: no manifest, truncated, or its data does not match its checksum (damaged); the detail says which. Nothing was changed. */
  BACKUP_INVALID: { status: 422, title: 'Invalid backup file' },
  /** A backup restored into a scratch database does not match its manifest; the detail names the tables. */
  BACKUP_VERIFY_FAILED: { status: 422, title: 'Backup verification failed' },
  /** The embedded data folder is in use by another process. */
  DATA_DIR_LOCKED: { status: 423, title: 'Data folder locked' },
  /** Too many requests; retry after the `Retry-After` seconds. */
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  /** An unexpected error; the response carries a request id to find it in the logs. */
  INTERNAL: { status: 500, title: 'Internal error' },
  /** Writing or restoring a backup failed (pg_dump, pg_restore or the disk); the detail carries the tool's message. */
  BACKUP_FAILED: { status: 500, title: 'Backup failed' },
  /** The server is starting or shutting down. */
  UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  /** pg_dump, pg_restore or psql is not installed where Rapport looks (RAPPORT_PG_BIN, /usr/lib/postgresql/<version>/bin, PATH); the detail names what to install. */
  BACKUP_TOOL_MISSING: { status: 503, title: 'Backup tool missing' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Per-field codes inside `errors[]` of a VALIDATION_FAILED problem. */
export const FIELD_ERROR_CODES = [
  'required', 'unknownField', 'readOnly', 'invalidType', 'invalidFormat', 'invalidEmail', 'invalidPhone', 'invalidUrl',
  'invalidCurrency', 'invalidCountry', 'invalidDate', 'invalidChoice', 'tooLong', 'tooSmall', 'tooLarge', 'unique',
  'relationNotFound', 'rule', 'invalidQuery', 'tooShort', 'commonPassword', 'containsPersonalInfo', 'invalidScope', 'invalidCode', 'wrongPassword', 'encrypted', 'noExchangeRate',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export interface FieldError {
  field: string;
  code: FieldErrorCode | string;
  message: string;
}

/** RFC 9457 problem details as Rapport returns them. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
}

export const problemType = (code: ErrorCode): string =>
  `https://rapport.dev/errors/${code.toLowerCase().replaceAll('_', '-')}`;
