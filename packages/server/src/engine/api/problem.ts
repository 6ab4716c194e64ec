import { ERROR_CODES, problemType, type ErrorCode, type FieldError, type Problem } from '@rapport/common';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isAppError } from '../errors.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

const build = (code: ErrorCode, detail: string, request: FastifyRequest, errors?: FieldError[]): Problem => ({
  type: problemType(code),
  title: ERROR_CODES[code].title,
  status: ERROR_CODES[code].status,
  detail,
  code,
  instance: request.url.split('?')[0] ?? request.url,
  requestId: request.id,
  ...(errors && errors.length > 0 ? { errors } : {}),
});

interface AjvError {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
  keyword?: string;
}

const fromValidation = (error: FastifyError): FieldError[] =>
  ((error.validation ?? []) as AjvError[]).map((issue) => {
    const base = (issue.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const missing = issue.params?.missingProperty as string | undefined;
    const extra = issue.params?.additionalProperty as string | undefined;
    const field = [error.validationContext === 'body' ? '' : error.validationContext, base, missing ?? extra].filter(Boolean).join('.') || 'body';
    return { field, code: missing ? 'required' : extra ? 'unknownField' : 'invalidType', message: extra ? `Unknown property "${extra}".` : (issue.message ?? 'Invalid value.') };
  });

/** Every error leaves as RFC 9457 problem+json with a stable code; unexpected ones as 500 without internals. */
export const sendProblem = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
  let problem: Problem;
  if (isAppError(error)) {
    problem = build(error.code, error.message, request, error.errors);
    for (const [name, value] of Object.entries(error.headers ?? {})) reply.header(name, value);
  } else {
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      problem = build('INVALID_REQUEST', `The request is invalid: ${fastifyError.message}.`, request, fromValidation(fastifyError));
    } else if (fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (fastifyError instanceof SyntaxError && fastifyError.statusCode === 400)) {
      problem = build('MALFORMED_JSON', `The body is not valid JSON: ${fastifyError.message}`, request);
    } else if (fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
      problem = build('MALFORMED_JSON', 'The body is empty; send a JSON document.', request);
    } else if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      problem = build('PAYLOAD_TOO_LARGE', 'The body is larger than the server accepts; send fewer records per request.', request);
    } else if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      problem = build('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.', request);
    } else if (fastifyError.statusCode === 413) {
      problem = build('PAYLOAD_TOO_LARGE', fastifyError.message, request);
    } else if (fastifyError.statusCode === 429) {
      problem = build('RATE_LIMITED', fastifyError.message, request);
    } else if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      problem = build('INVALID_REQUEST', fastifyError.message, request);
    } else {
      request.log.error({ err: error }, 'unexpected error');
      problem = build('INTERNAL', `Something went wrong on our side. Quote request id ${request.id} when reporting it.`, request);
    }
  }
  return reply.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
};
