import chardet from 'chardet';
import iconv from 'iconv-lite';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

// A head cut at an arbitrary byte may end inside a multi-byte character: ignore up to 3 trailing bytes.
const isValidUtf8 = (bytes: Uint8Array): boolean => {
  for (let cut = 0; cut <= Math.min(3, bytes.length); cut++) {
    try {
      utf8Decoder.decode(bytes.subarray(0, bytes.length - cut));
      return true;
    } catch {
      // the last character may be incomplete: try one byte shorter
    }
  }
  return false;
};

// UTF-16 without a BOM: text that is mostly ASCII has a NUL in every other byte.
const utf16ByNulPattern = (bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null => {
  const length = Math.min(bytes.length, 4096) & ~1;
  if (length < 4) return null;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < length; i += 2) {
    if (bytes[i] === 0) evenNuls++;
    if (bytes[i + 1] === 0) oddNuls++;
  }
  const pairs = length / 2;
  if (oddNuls > pairs * 0.3 && evenNuls < pairs * 0.05) return 'utf-16le';
  if (evenNuls > pairs * 0.3 && oddNuls < pairs * 0.05) return 'utf-16be';
  return null;
};

const WESTERN = new Set(['windows-1252', 'iso-8859-1', 'iso-8859-15']);

// Single-byte guesses: Latin-1 labels mean Windows-1252 in practice (WHATWG does the same).
const canonical = (name: string): string => {
  const lower = name.toLowerCase();
  if (lower === 'iso-8859-1' || lower === 'ascii' || lower === 'us-ascii') return 'windows-1252';
  return lower;
};

/** The encoding of a file's first bytes: BOM first, then the UTF-16 NUL pattern, valid UTF-8, then a statistical guess. */
export const sniffEncoding = (head: Uint8Array): { encoding: string; bomLength: number } => {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const utf16 = utf16ByNulPattern(head);
  if (utf16) return { encoding: utf16, bomLength: 0 };
  if (isValidUtf8(head)) return { encoding: 'utf-8', bomLength: 0 };
  const matches = chardet.analyse(head.subarray(0, 64 * 1024)).filter((match) => !match.name.toUpperCase().startsWith('UTF') && iconv.encodingExists(match.name));
  const best = matches[0];
  if (!best) return { encoding: 'windows-1252', bomLength: 0 };
  // a short Western text scores close between single-byte code pages: the most common one wins a near tie
  const western = matches.find((match) => WESTERN.has(match.name.toLowerCase()));
  if (western && western.confidence >= best.confidence * 0.6) return { encoding: 'windows-1252', bomLength: 0 };
  return { encoding: canonical(best.name), bomLength: 0 };
};

/** Decodes a head of bytes, BOM removed (a trailing partial character becomes U+FFFD and is dropped). */
export const decodeHead = (head: Uint8Array, encoding: string): string => iconv.decode(Buffer.from(head), encoding).replace(/^\uFEFF/, '').replace(/\uFFFD$/, '');
