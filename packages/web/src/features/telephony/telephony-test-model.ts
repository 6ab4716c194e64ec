import { TELEPHONY_TEST_FAILURE_CODES, TELEPHONY_TEST_NOTE_CODES, type FieldError, type TelephonyTestFailureCode, type TelephonyTestNoteCode, type TelephonyTestResult } from '@rapport/common';
import type { TelephonyProvider } from './telephony-settings-model.ts';

/** `POST /api/v1/telephony/test-event` (telephony.schemas.ts, testEventSchema). */
export type TestEventResult = TelephonyTestResult<TelephonyProvider>;
export type TestFailureCode = TelephonyTestFailureCode;
export type TestNoteCode = TelephonyTestNoteCode;
const TEST_FAILURE_CODES = TELEPHONY_TEST_FAILURE_CODES;
const TEST_NOTE_CODES = TELEPHONY_TEST_NOTE_CODES;

/** The request body: only what was typed or chosen (the server picks the rest: a sample caller, the admin's own line). */
export const testEventBodyOf = ({ from, line }: { from: string; line: string | null }): { from?: string; line?: string } => ({
  ...(from.trim() !== '' ? { from: from.trim() } : {}),
  ...(line ? { line } : {}),
});

/** The key of a line that is the server's own sentence (`values.message`), for a code this version does not know. */
export const SERVER_MESSAGE = 'serverMessage';

/** One sentence of the result: a translation key under `telephony.test` and its values (or SERVER_MESSAGE). */
export interface ResultLine {
  key: string;
  values: Record<string, string>;
}

export interface ResultSummary {
  tone: 'ok' | 'failed';
  /** What the call would be (ok), or why it would not be logged (failed). */
  lines: ResultLine[];
  /** The server's field errors of a refused call record, as it sent them. */
  fieldErrors: FieldError[];
  /** What works but deserves a look. */
  notes: ResultLine[];
}

const isOneOf = <T extends string>(list: readonly T[], value: string): value is T => (list as readonly string[]).includes(value);

/**
 * What the screen says of a test event, as translation keys: the call it would log (its subject, the person, whose
 * line it is and whether their screen pops) or the reason it would not; then the notes. A code the app does not know
 * yet falls back to the server's own sentence.
 */
export const summariseTestResult = (result: TestEventResult): ResultSummary => {
  const notes = result.notes.map((note): ResultLine => {
    if (!isOneOf(TEST_NOTE_CODES, note.code)) return { key: SERVER_MESSAGE, values: { message: note.message } };
    const values: Record<string, string> = {
      line: result.event?.to ?? '',
      from: result.event?.from ?? '',
      phone: result.call?.phone ?? result.event?.from ?? '',
      name: result.call?.owner?.name ?? '',
    };
    return { key: `notes.${note.code}`, values };
  });
  if (!result.ok || !result.call) {
    const code = result.failure?.code ?? 'eventRefused';
    const known = isOneOf(TEST_FAILURE_CODES, code);
    return {
      tone: 'failed',
      lines: [known ? { key: `failures.${code}`, values: { message: result.failure?.message ?? '' } } : { key: SERVER_MESSAGE, values: { message: result.failure?.message ?? '' } }],
      fieldErrors: result.failure?.errors ?? [],
      notes,
    };
  }
  const { call } = result;
  const lines: ResultLine[] = [];
  if (call.subject) lines.push({ key: 'result.subject', values: { subject: call.subject } });
  if (call.person) lines.push({ key: 'result.person', values: { name: call.person.name } });
  if (call.owner) lines.push({ key: call.screenPop ? 'result.ownerPops' : 'result.owner', values: { name: call.owner.name } });
  lines.push({ key: 'result.nothingSaved', values: {} });
  return { tone: 'ok', lines, fieldErrors: [], notes };
};
