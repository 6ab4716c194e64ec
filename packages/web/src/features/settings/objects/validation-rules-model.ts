import type { ValidationRule } from '@rapport/common';

/** What the rule form edits; `field` is empty for a message shown above the form (a record-level rule). */
export interface RuleDraft {
  expression: string;
  message: string;
  field: string;
}

/** The inputs of the rule form a message can be shown next to. */
export type RuleInput = keyof RuleDraft;

export const emptyRuleDraft = (): RuleDraft => ({ expression: '', message: '', field: '' });

export const ruleDraftOf = (rule: ValidationRule): RuleDraft => ({ expression: rule.expression, message: rule.message, field: rule.field ?? '' });

/** The rule as the API stores it: trimmed, without `field` when the message goes above the form. */
export const toValidationRule = (draft: RuleDraft): ValidationRule => ({
  expression: draft.expression.trim(),
  message: draft.message.trim(),
  ...(draft.field ? { field: draft.field } : {}),
});

/** The inputs left empty (both are required by the API): checked before asking it. */
export const missingRuleInputs = (draft: RuleDraft): ('expression' | 'message')[] =>
  (['expression', 'message'] as const).filter((input) => draft[input].trim() === '');

/** The object's rules with the one at `index` replaced by `rule`, or `rule` added at the end when `index` is null. */
export const withRule = (rules: readonly ValidationRule[], index: number | null, rule: ValidationRule): ValidationRule[] =>
  index === null || index >= rules.length ? [...rules, rule] : rules.map((current, i) => (i === index ? rule : current));

/** The object's rules without the one at `index`. */
export const withoutRule = (rules: readonly ValidationRule[], index: number): ValidationRule[] => rules.filter((_, i) => i !== index);

/** The object's rules with `rule` put back at `index` (undoing a deletion). */
export const withRuleAt = (rules: readonly ValidationRule[], index: number, rule: ValidationRule): ValidationRule[] => {
  const next = [...rules];
  next.splice(Math.min(Math.max(index, 0), next.length), 0, rule);
  return next;
};

/**
 * Where an API error about `validationRules[i]…` belongs: the rule's index and the input that shows it.
 * A bare `validationRules[i]` means the rule's shape was refused, which the form can only get wrong by an
 * empty message. Null for errors about anything else.
 */
export const ruleErrorTarget = (path: string): { index: number; input: RuleInput } | null => {
  const match = /^validationRules\[(\d+)\](?:\.(\w+))?/.exec(path);
  if (!match) return null;
  const key = match[2];
  const input: RuleInput = key === 'expression' || key === 'field' ? key : 'message';
  return { index: Number(match[1]), input };
};
