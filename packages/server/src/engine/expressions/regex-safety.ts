const MAX_PATTERN_LENGTH = 200;

/**
 * cel-js runs matches() with JavaScript's backtracking RegExp, not RE2 as other CEL runtimes
 * do, so a pattern like `(a+)+$` can take exponential time on a crafted value. Returns why a
 * pattern is refused (a phrase completing "The pattern of matches() …"), or undefined.
 * A deliberately conservative check: it also refuses a few harmless patterns.
 */
export const findRegexHazard = (pattern: string): string | undefined => {
  if (pattern.length > MAX_PATTERN_LENGTH) return `is longer than ${MAX_PATTERN_LENGTH} characters`;
  try {
    new RegExp(pattern);
  } catch {
    return 'is not a valid regular expression';
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'cannot use back-references';
  if (/\(\?<?[=!]/.test(pattern)) return 'cannot use look-ahead or look-behind';
  return findNestedRepetition(pattern);
};

interface Group {
  repeats: boolean;
  alternates: boolean;
}

// Flags a repeated group that itself repeats or alternates: (a+)+, (a|ab)*, (\w?\d?){2,}.
const findNestedRepetition = (pattern: string): string | undefined => {
  const stack: Group[] = [{ repeats: false, alternates: false }];
  const top = (): Group => stack[stack.length - 1] as Group;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index];
    if (char === '\\') {
      index++;
    } else if (char === '[') {
      index = skipClass(pattern, index);
    } else if (char === '(') {
      stack.push({ repeats: false, alternates: false });
      if (pattern[index + 1] === '?') index = pattern.indexOf(pattern[index + 2] === '<' ? '>' : ':', index);
    } else if (char === ')') {
      const group = stack.pop() ?? { repeats: false, alternates: false };
      const quantifier = readQuantifier(pattern, index + 1);
      if (quantifier.isRepeating && (group.repeats || group.alternates)) {
        return 'repeats a group that itself repeats or has alternatives, which can take exponential time';
      }
      if (group.repeats || quantifier.length > 0) top().repeats = true;
      index += quantifier.length;
    } else if (char === '|') {
      top().alternates = true;
    } else {
      const quantifier = readQuantifier(pattern, index);
      if (quantifier.length > 0) {
        top().repeats = true;
        index += quantifier.length - 1;
      }
    }
  }
  return undefined;
};

const skipClass = (pattern: string, start: number): number => {
  for (let index = start + 1; index < pattern.length; index++) {
    if (pattern[index] === '\\') index++;
    else if (pattern[index] === ']') return index;
  }
  return pattern.length;
};

// A quantifier and its lazy suffix; {n} and ? do not repeat.
const readQuantifier = (pattern: string, index: number): { length: number; isRepeating: boolean } => {
  const char = pattern[index];
  let length = 0;
  let isRepeating = false;
  if (char === '*' || char === '+') {
    length = 1;
    isRepeating = true;
  } else if (char === '?') {
    length = 1;
  } else if (char === '{') {
    const braces = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(index));
    if (braces) {
      length = braces[0].length;
      isRepeating = braces[2] !== undefined && (braces[3] === '' || Number(braces[3]) > 1);
    }
  }
  if (length > 0 && pattern[index + length] === '?') length++;
  return { length, isRepeating };
};
