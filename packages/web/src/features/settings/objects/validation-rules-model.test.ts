import { describe, expect, it } from 'vitest';
import { missingRuleInputs, ruleDraftOf, ruleErrorTarget, toValidationRule, withoutRule, withRule, withRuleAt } from './validation-rules-model.ts';

const closeAfterCreate = { expression: 'record.closeDate >= record.createdAt', message: 'The close date comes after the creation.', field: 'closeDate' };
const positive = { expression: 'record.amount >= 0.0', message: 'No negative amounts.' };

describe('object validation rules model', () => {
  it('should turn a draft into the rule the API stores, without a field for a record-level rule', () => {
    expect(toValidationRule({ expression: ' record.amount >= 0.0 ', message: ' No negative amounts. ', field: '' })).toEqual(positive);
    expect(toValidationRule(ruleDraftOf(closeAfterCreate))).toEqual(closeAfterCreate);
    expect(ruleDraftOf(positive)).toEqual({ ...positive, field: '' });
  });

  it('should name the empty inputs the API requires', () => {
    expect(missingRuleInputs({ expression: ' ', message: '', field: 'amount' })).toEqual(['expression', 'message']);
    expect(missingRuleInputs(ruleDraftOf(positive))).toEqual([]);
  });

  it('should add, replace, remove and put back a rule in the list', () => {
    expect(withRule([positive], null, closeAfterCreate)).toEqual([positive, closeAfterCreate]);
    expect(withRule([positive, closeAfterCreate], 0, { ...positive, message: 'Changed' })).toEqual([{ ...positive, message: 'Changed' }, closeAfterCreate]);
    expect(withoutRule([positive, closeAfterCreate], 0)).toEqual([closeAfterCreate]);
    expect(withRuleAt([closeAfterCreate], 0, positive)).toEqual([positive, closeAfterCreate]);
    expect(withRuleAt([], 3, positive)).toEqual([positive]);
  });

  it('should place API errors on the rule and input they are about', () => {
    expect(ruleErrorTarget('validationRules[2].expression')).toEqual({ index: 2, input: 'expression' });
    expect(ruleErrorTarget('validationRules[0].field')).toEqual({ index: 0, input: 'field' });
    expect(ruleErrorTarget('validationRules[1]')).toEqual({ index: 1, input: 'message' });
    expect(ruleErrorTarget('labelSingular')).toBeNull();
  });
});
