import iconv from 'iconv-lite';

// ignoreBOM keeps a U+FEFF at the start of a chunk: only the file's first one is a BOM
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

// How many bytes the UTF-8 sequence led by `byte` has; 0 for a byte that cannot lead one.
const sequenceLength = (byte: number) => (byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0);

// Where a trailing, still incomplete sequence starts (the end when there is none).
const completeLength = (bytes: Uint8Array): number => {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if (byte < 0x80) return bytes.length;
    if (byte >= 0xc0) return sequenceLength(byte) > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
};

// Valid sequences as UTF-8, any other byte as Windows-1252: a file sniffed as UTF-8 from an ASCII-only
// start may hold single-byte accents further on, and they should not turn into U+FFFD.
const decodeMixed = (bytes: Uint8Array): string => {
  let text = '';
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes[i]!);
    if (length > 1 && i + length <= bytes.length) {
      try {
        text += strict.decode(bytes.subarray(i, i + length));
        i += length;
        continue;
      } catch {
        // not a valid sequence after all: the lead byte is a single-byte character
      }
    }
    const start = i;
    if (length === 1) while (i < bytes.length && bytes[i]! < 0x80) i++;
    else i++;
    text += length === 1 ? Buffer.from(bytes.subarray(start, i)).toString('latin1') : iconv.decode(Buffer.from(bytes.subarray(start, i)), 'windows-1252');
  }
  return text;
};

/** A streaming UTF-8 decoder that drops a BOM and reads bytes that are not UTF-8 as Windows-1252. */
export class TolerantUtf8Decoder {
  private carry: Uint8Array = new Uint8Array(0);
  private isStart = true;

  write(chunk: Uint8Array): string {
    const bytes = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = completeLength(bytes);
    this.carry = bytes.slice(cut);
    return this.decode(bytes.subarray(0, cut));
  }

  end(): string {
    const rest = this.carry;
    this.carry = new Uint8Array(0);
    return rest.length > 0 ? decodeMixed(rest) : '';
  }

  private decode(bytes: Uint8Array): string {
    let text: string;
    try {
      text = strict.decode(bytes);
    } catch {
      text = decodeMixed(bytes);
    }
    if (this.isStart && text.length > 0) {
      this.isStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }
}
