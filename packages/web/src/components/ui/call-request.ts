/**
 * "Log a call" asked from anywhere (a phone number on a record): the telephony feature opens its call panel. A DOM
 * event keeps the asking screen free of the feature that answers.
 */
export const LOG_CALL_EVENT = 'rapport:log-call';

export interface LogCallRequest {
  /** The number called, in E.164. */
  phone?: string;
  /** The record the number belongs to, linked to the call when it is a person. */
  related?: { object: string; id: string; title?: string };
}

export const requestCallLog = (request: LogCallRequest) => window.dispatchEvent(new CustomEvent<LogCallRequest>(LOG_CALL_EVENT, { detail: request }));
