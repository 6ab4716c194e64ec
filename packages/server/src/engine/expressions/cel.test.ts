import { describe, expect, it } from 'vitest';
import { checkExpression, compileExpression, ExpressionError, type CelType, type CompileOptions } from './cel.ts';

const DEAL = {
  name: 'string',
  firstName: 'string',
  lastName: 'string',
  email: 'string',
  stage: 'string',
  amount: 'double',
  probability: 'double',
  isKey: 'bool',
  closeDate: 'timestamp',
  createdAt: 'timestamp',
  tags: 'list<string>',
  details: 'dyn',
  version: 'int',
} as const satisfies Record<string, CelType>;

const variables = { record: DEAL, previous: DEAL };

const deal = {
  name: 'Acme renewal',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@acme.com',
  stage: 'won',
  amount: 1200,
  probability: 0.5,
  isKey: true,
  closeDate: '2024-06-01',
  createdAt: '2024-05-01T10:00:00Z',
  tags: ['renewal', 'enterprise'],
  details: { seats: 12, region: 'EMEA' },
  version: 3,
};

const run = (expression: string, record: Record<string, unknown> = deal, previous: Record<string, unknown> | null = null): unknown =>
  compileExpression({ expression, variables }).evaluate({ record, previous });

const compileError = (options: CompileOptions): ExpressionError => {
  try {
    compileExpression(options);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${options.expression} not to compile`);
};

const evaluationError = (expression: string, record: Record<string, unknown>): ExpressionError => {
  try {
    run(expression, record);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${expression} to fail`);
};

describe('compileExpression with CRM rules and formulas', () => {
  it.each([
    ['record.amount >= 0', true],
    ['record.closeDate > record.createdAt', true],
    ['record.stage != "won" || has(record.closeDate)', true],
    ['record.firstName + " " + record.lastName', 'Ada Lovelace'],
    ['size(record.name) <= 80', true],
    ['record.email.endsWith("@acme.com")', true],
    ['record.amount * 0.2', 240],
    ['record.amount * 2', 2400],
    ['2 * record.amount + 1', 2401],
    ['record.amount == 1200', true],
    ['record.amount / 8', 150],
    ['"enterprise" in record.tags', true],
    ['record.tags.exists(tag, tag.startsWith("renew"))', true],
    ['record.details.seats * 10', 120],
    ['record.details.region == "EMEA"', true],
    ['record.isKey && record.probability > 0.3', true],
    ['record.version + 1', 4],
    ['record.tags', ['renewal', 'enterprise']],
    ['record.createdAt', '2024-05-01T10:00:00.000Z'],
    ['record.closeDate - record.createdAt', '2642400s'],
    ['record.amount > 1000 ? "large" : "small"', 'large'],
  ])('should evaluate %s', (expression, expected) => {
    expect(run(expression)).toEqual(expected);
  });

  it('should accept Date objects and numeric strings as inputs', () => {
    expect(run('record.closeDate > record.createdAt', { closeDate: new Date('2024-06-01'), createdAt: new Date('2024-05-01') })).toBe(true);
    expect(run('record.amount + 0.5', { amount: '1200.5000' })).toBe(1201);
  });

  it('should fail with evaluation when an input has the wrong type', () => {
    const error = evaluationError('record.amount > 0', { amount: 'a lot' });
    expect(error.code).toBe('evaluation');
    expect(error.message).toContain('"amount" should be a number');
  });

  it('should fail with evaluation on a division by zero', () => {
    expect(evaluationError('record.amount / 0', deal).message).toMatch(/not a finite number/);
    expect(evaluationError('record.version / 0', deal).message).toMatch(/Evaluation error at column \d+: division by zero/);
  });
});

describe('compileExpression with helper functions', () => {
  const now = new Date('2024-06-10T22:30:00Z');
  const evaluateAt = (expression: string, timeZone?: string): unknown =>
    compileExpression({ expression, variables }).evaluate({ record: deal, previous: null }, { now, timeZone });

  it('should read now() from the evaluation options', () => {
    expect(evaluateAt('now()')).toBe('2024-06-10T22:30:00.000Z');
    expect(evaluateAt('now() == now()')).toBe(true);
  });

  it('should give today() as midnight UTC of the date in the time zone', () => {
    expect(evaluateAt('today()')).toBe('2024-06-10T00:00:00.000Z');
    // Already the 11th in Paris, still the 10th in New York.
    expect(evaluateAt('today()', 'Europe/Paris')).toBe('2024-06-11T00:00:00.000Z');
    expect(evaluateAt('today()', 'America/New_York')).toBe('2024-06-10T00:00:00.000Z');
  });

  it('should count whole days with daysBetween', () => {
    expect(evaluateAt('daysBetween(record.createdAt, record.closeDate)')).toBe(30);
    expect(evaluateAt('daysBetween(record.closeDate, record.createdAt)')).toBe(-30);
    expect(evaluateAt('daysBetween(record.closeDate, today())')).toBe(9);
    expect(evaluateAt('daysBetween(today(), record.closeDate) < 0')).toBe(true);
  });

  it('should change case with lower and upper in both call styles', () => {
    expect(run('lower(record.name)')).toBe('acme renewal');
    expect(run('upper(record.firstName)')).toBe('ADA');
    expect(run('record.name.lower() == "acme renewal"')).toBe(true);
  });

  it.each([
    ['isBlank(record.name)', { name: 'x' }, false],
    ['isBlank(record.name)', { name: '   ' }, true],
    ['isBlank(record.name)', { name: null }, true],
    ['isBlank(record.name)', {}, true],
    ['isBlank(record.tags)', { tags: [] }, true],
    ['isBlank(record.amount)', { amount: 0 }, false],
    ['isBlank(record.details)', { details: {} }, true],
    ['isBlank(previous)', {}, true],
  ])('should evaluate %s on %j', (expression, record, expected) => {
    expect(run(expression, record)).toBe(expected);
  });
});

describe('compileExpression with empty values', () => {
  it('should treat a null field like an absent one for has()', () => {
    expect(run('has(record.amount)', { amount: null })).toBe(false);
    expect(run('has(record.amount) && record.amount > 0', { amount: null })).toBe(false);
    expect(run('!has(record.closeDate) || record.closeDate > record.createdAt', { closeDate: null })).toBe(true);
    expect(run('record.stage != "won" || has(record.closeDate)', { stage: 'won', closeDate: null })).toBe(false);
  });

  it('should fail with missingValue naming the field when an empty field is read', () => {
    const error = evaluationError('record.amount > 0', { amount: null });
    expect(error).toMatchObject({ code: 'missingValue', field: 'amount', position: 7, message: 'record.amount is empty.' });
  });

  it('should fail with missingValue inside a dyn value', () => {
    expect(evaluationError('record.details.budget > 0', deal)).toMatchObject({ code: 'missingValue', field: 'budget', message: 'record.details.budget is empty.' });
  });

  it('should not fail when the other side of || or && decides', () => {
    expect(run('record.amount > 0 || true', {})).toBe(true);
    expect(run('record.amount > 0 && false', {})).toBe(false);
  });

  it('should offer optional fields with .? and orValue', () => {
    expect(run('record.?amount.orValue(0.0) > 100.0', { amount: null })).toBe(false);
    expect(run('record.?amount.orValue(0.0) > 100.0', { amount: 500 })).toBe(true);
  });

  it('should compare a missing previous record with null', () => {
    expect(run('previous == null', deal, null)).toBe(true);
    expect(run('previous != null && previous.stage != record.stage', deal, { stage: 'open' })).toBe(true);
    expect(run('has(previous.stage)', deal, null)).toBe(false);
  });

  it('should fail with missingValue when a scalar variable is null', () => {
    const compiled = compileExpression({ expression: 'value > 0.0', variables: { value: 'double' } });
    expect(compiled.evaluate({ value: 3 })).toBe(true);
    expect(() => compiled.evaluate({ value: null })).toThrow(expect.objectContaining({ code: 'missingValue', field: 'value' }));
  });

  it('should fail with missingValue when the result is null', () => {
    const compiled = compileExpression({ expression: 'record.details.manager', variables });
    expect(() => compiled.evaluate({ record: { details: { manager: null } } })).toThrow(expect.objectContaining({ code: 'missingValue' }));
  });
});

describe('compileExpression errors', () => {
  it.each([
    ['record.amount >', 'syntax', 'Syntax error at column 16: the expression ends too early.', 15],
    ['record.amount > > 1', 'syntax', 'Syntax error at column 17', 16],
    ['"unterminated', 'syntax', 'Syntax error at column 1', 0],
    ['record.amount >= 0 &&\n  record.nmae != ""', 'type', 'Type error at line 2, column 10: unknown field "nmae".', 31],
    ['record.amout > 0', 'type', 'Type error at column 8: unknown field "amout".', 7],
    ['record.amount + "x"', 'type', 'Type error at column 1: operator + cannot be applied to double and string.', 0],
    ['record.closeDate > 5', 'type', 'operator > cannot be applied to timestamp and int', 0],
    ['record.name.startsWith(1)', 'type', "no function matches string.startsWith(int)", 0],
    ['nosuch(record.name)', 'type', 'no function matches nosuch(string)', 0],
    ['deal.amount > 0', 'type', 'unknown name "deal"', 0],
  ])('should refuse %j as %s', (expression, code, message, position) => {
    const error = compileError({ expression, variables, expectedType: 'bool' });
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    expect(error.position).toBe(position);
  });

  it('should refuse an empty expression', () => {
    expect(compileError({ expression: '  ', variables })).toMatchObject({ code: 'syntax', message: 'The expression is empty.' });
  });

  it.each([
    ['record.amount * 2', 'bool', 'must produce true or false, but it produces a number'],
    ['record.name', 'double', 'must produce a number, but it produces text'],
    ['record.amount > 0', 'timestamp', 'must produce a date, but it produces true or false'],
  ] as const)('should refuse %j when %s is expected', (expression, expectedType, message) => {
    expect(compileError({ expression, variables, expectedType })).toMatchObject({ code: 'resultType', message: expect.stringContaining(message) });
  });

  it('should accept an int result where a double is expected', () => {
    expect(compileExpression({ expression: 'size(record.name)', variables, expectedType: 'double' }).evaluate({ record: deal })).toBe(12);
  });

  it('should check a dyn result at run time', () => {
    const compiled = compileExpression({ expression: 'record.details.region', variables, expectedType: 'string' });
    expect(compiled.evaluate({ record: deal })).toBe('EMEA');
    expect(() => compiled.evaluate({ record: { details: { region: 4 } } })).toThrow(expect.objectContaining({ code: 'resultType' }));
  });

  it('should report errors through checkExpression without throwing', () => {
    expect(checkExpression({ expression: 'record.amount > 0', variables, expectedType: 'bool' })).toEqual({ ok: true });
    expect(checkExpression({ expression: 'record.amout > 0', variables, expectedType: 'bool' })).toEqual({
      ok: false,
      code: 'type',
      message: 'Type error at column 8: unknown field "amout".',
      position: 7,
    });
  });

  it('should refuse unknown variable types as a programming error', () => {
    expect(() => compileExpression({ expression: '1', variables: { x: 'number' as CelType } })).toThrow('Unknown CEL type "number"');
  });
});

describe('compileExpression limits', () => {
  it('should refuse an expression longer than 4000 characters', () => {
    const expression = `record.name == "${'x'.repeat(4000)}"`;
    expect(compileError({ expression, variables })).toMatchObject({ code: 'limit', message: expect.stringContaining('too long') });
  });

  it('should refuse too many nodes and too deep nesting', () => {
    expect(compileError({ expression: Array(800).fill('record.isKey').join(' || '), variables }).code).toBe('limit');
    expect(compileError({ expression: `${'['.repeat(40)}1${']'.repeat(40)}`, variables }).code).toBe('limit');
  });

  it('should refuse macros nested three deep', () => {
    const expression = 'record.tags.all(a, record.tags.all(b, record.tags.exists(c, a == c)))';
    expect(compileError({ expression, variables })).toMatchObject({ code: 'limit', message: expect.stringContaining('at most 2 deep') });
    expect(checkExpression({ expression: 'record.tags.all(a, record.tags.exists(b, a == b))', variables })).toEqual({ ok: true });
  });

  it('should refuse a pattern that could backtrack for ever, or one that is not a literal', () => {
    expect(compileError({ expression: 'record.name.matches("^(a+)+$")', variables }).code).toBe('limit');
    expect(compileError({ expression: 'record.name.matches(record.stage)', variables }).message).toContain('string literal');
    expect(run('record.email.matches("^[a-z]+@acme\\\\.com$")')).toBe(true);
  });
});

describe('compileExpression cache', () => {
  it('should return the same compiled expression whatever the order of variables', () => {
    const first = compileExpression({ expression: 'record.amount > 1', variables: { record: { amount: 'double', name: 'string' } } });
    const second = compileExpression({ expression: 'record.amount > 1', variables: { record: { name: 'string', amount: 'double' } } });
    expect(second).toBe(first);
  });

  it('should compile again when the expected type differs', () => {
    const first = compileExpression({ expression: 'record.amount > 1', variables });
    const second = compileExpression({ expression: 'record.amount > 1', variables, expectedType: 'bool' });
    expect(second).not.toBe(first);
  });
});

describe('compileExpression performance', () => {
  it('should evaluate a compiled rule 100k times quickly', () => {
    const rule = compileExpression({ expression: 'record.stage != "won" || (has(record.closeDate) && record.amount >= 0)', variables, expectedType: 'bool' });
    const formula = compileExpression({ expression: 'record.firstName + " " + record.lastName', variables, expectedType: 'string' });
    const context = { record: deal, previous: null };
    const measure = (evaluate: () => unknown): number => {
      const start = performance.now();
      for (let index = 0; index < 100_000; index++) evaluate();
      return performance.now() - start;
    };
    measure(() => rule.evaluate(context));
    const ruleMs = measure(() => rule.evaluate(context));
    const formulaMs = measure(() => formula.evaluate(context));
    const compileMs = measure(() => compileExpression({ expression: 'record.amount >= 0', variables, expectedType: 'bool' })) / 100;
    console.info(`100k evaluations: rule ${ruleMs.toFixed(0)} ms, formula ${formulaMs.toFixed(0)} ms; 1k cached compiles ${compileMs.toFixed(1)} ms`);
    // Generous: a sanity bound, not a benchmark.
    expect(ruleMs).toBeLessThan(5000);
  });
});
