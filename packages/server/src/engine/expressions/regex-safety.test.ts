import { describe, expect, it } from 'vitest';
import { findRegexHazard } from './regex-safety.ts';

describe('findRegexHazard', () => {
  it.each([
    '^[A-Z]{3}$',
    '^\\d{5}(-\\d{4})?$',
    '^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$',
    '^(\\+|00)[0-9 ]+$',
    '(ab){3}',
    '^(?:https?)://',
    '[(+*)]+',
    '^(?<code>[A-Z]{2})-\\d+$',
  ])('should accept %s', (pattern) => {
    expect(findRegexHazard(pattern)).toBeUndefined();
  });

  it.each([
    ['(a+)+$', 'repeats a group'],
    ['^(\\w+\\s?)*$', 'repeats a group'],
    ['(a|aa)*b', 'repeats a group'],
    ['((ab)*c)+', 'repeats a group'],
    ['(x?y?){2,}', 'repeats a group'],
    ['(a)\\1', 'back-references'],
    ['a(?=b)', 'look-ahead'],
    ['(?<!a)b', 'look-ahead'],
    ['[a-', 'not a valid regular expression'],
    ['a'.repeat(201), 'longer than 200'],
  ])('should refuse %s', (pattern, reason) => {
    expect(findRegexHazard(pattern)).toContain(reason);
  });
});
