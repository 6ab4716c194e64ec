import { ImportFileError } from './types.ts';

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  /** A quote inside a quoted field: the field's end, or the first half of an escaped `""`. */
  QuoteInQuoted,
}

/**
 * Splits CSV text into records, chunk by chunk, holding only the record being read. RFC 4180 plus what
 * spreadsheets write: CRLF, LF or CR line ends (mixed too), `""` inside quotes, line breaks inside quotes.
 * Lenient where files are sloppy: a quote that does not open a field is a plain character, and text after
 * a closing quote is kept. A quote never closed makes the record grow: past `maxRecordChars` it fails.
 */
export class CsvSplitter {
  private readonly delimiter: number;
  private record: string[] = [];
  private field = '';
  private state = State.FieldStart;
  private recordChars = 0;
  // a CR ended the last chunk: an LF starting the next one belongs to it
  private skipLf = false;
  /** Records ended so far (blank lines included): where an error is in the file. */
  records = 0;

  constructor(delimiter: string, private readonly maxRecordChars: number) {
    if (delimiter.length !== 1) throw new Error('A CSV delimiter is one character.');
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** Reads a chunk of text; returns the records it completed. */
  push(text: string): string[][] {
    const out: string[][] = [];
    const length = text.length;
    let i = 0;
    if (this.skipLf) {
      this.skipLf = false;
      if (length > 0 && text.charCodeAt(0) === LF) i = 1;
    }
    while (i < length) {
      if (this.state === State.Quoted) {
        const quote = text.indexOf('"', i);
        const end = quote === -1 ? length : quote;
        this.append(text, i, end);
        i = end;
        if (quote !== -1) {
          this.state = State.QuoteInQuoted;
          i++;
        }
        continue;
      }
      const c = text.charCodeAt(i);
      if (this.state === State.QuoteInQuoted) {
        if (c === QUOTE) {
          this.field += '"';
          this.state = State.Quoted;
          i++;
          continue;
        }
        // anything else closes the quoted part; text up to the next delimiter stays in the field
        this.state = State.Unquoted;
      } else if (this.state === State.FieldStart && c === QUOTE) {
        this.state = State.Quoted;
        i++;
        continue;
      }
      let end = i;
      let stop = 0;
      while (end < length) {
        stop = text.charCodeAt(end);
        if (stop === this.delimiter || stop === LF || stop === CR) break;
        end++;
      }
      this.append(text, i, end);
      this.state = State.Unquoted;
      if (end === length) break;
      this.endField();
      i = end + 1;
      if (stop !== this.delimiter) {
        out.push(this.endRecord());
        if (stop === CR) {
          if (i < length) {
            if (text.charCodeAt(i) === LF) i++;
          } else this.skipLf = true;
        }
      }
    }
    return out;
  }

  /** Ends the text: the last record when the file does not end with a line break. */
  end(): string[][] {
    if (this.state === State.Quoted) throw new ImportFileError('unclosedQuote', `Record ${this.records + 1} opens a quote that is never closed.`);
    if (this.state === State.FieldStart && this.record.length === 0) return [];
    this.endField();
    return [this.endRecord()];
  }

  private append(text: string, start: number, end: number) {
    if (end === start) return;
    this.recordChars += end - start;
    if (this.recordChars > this.maxRecordChars) throw new ImportFileError('recordTooLarge', `Record ${this.records + 1} is longer than ${this.maxRecordChars} characters: a quote that is never closed?`);
    this.field += text.slice(start, end);
  }

  private endField() {
    this.record.push(this.field);
    this.field = '';
    this.state = State.FieldStart;
  }

  private endRecord(): string[] {
    const record = this.record;
    this.record = [];
    this.recordChars = 0;
    this.records++;
    return record;
  }
}
