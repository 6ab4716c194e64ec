import type { FieldDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { draftFieldOfError, draftOf, emptyDraft, moveItem, toApiName, toChoiceValue, toFieldDefinition, toFieldPatch } from './designer-model.ts';

describe('designer model', () => {
  it('should derive API names and choice values from labels', () => {
    expect(toApiName('Fuel type')).toBe('fuelType');
    expect(toApiName('Prix TTC (€)')).toBe('prixTTC');
    expect(toApiName('2nd Owner')).toBe('ndOwner');
    expect(toApiName('Производитель')).toBe('');
    expect(toChoiceValue('Closed – won!')).toBe('closed_won');
  });

  it('should move an item and clamp the target', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 2)).toEqual(['b', 'c', 'a']);
    expect(moveItem(['a', 'b', 'c'], 2, -5)).toEqual(['c', 'a', 'b']);
    expect(moveItem(['a', 'b'], 5, 0)).toEqual(['a', 'b']);
  });

  it('should build a select definition with coloured choices in order', () => {
    const draft = { ...emptyDraft('select'), label: 'Fuel', name: 'fuel', choices: [{ value: 'diesel', label: 'Diesel', color: 'gray' }, { value: 'ev', label: 'Electric', color: 'green' }], unique: true };

    expect(toFieldDefinition(draft)).toEqual({
      name: 'fuel', type: 'select', label: 'Fuel', unique: true,
      options: { choices: [{ value: 'diesel', label: 'Diesel', color: 'gray' }, { value: 'ev', label: 'Electric', color: 'green' }] },
    });
  });

  it('should build formula, relation, currency and encrypted definitions and drop options that do not apply', () => {
    expect(toFieldDefinition({ ...emptyDraft('formula'), label: 'Tax', name: 'tax', expression: 'record.price * 0.2', resultType: 'number', required: true }))
      .toEqual({ name: 'tax', type: 'formula', label: 'Tax', options: { expression: 'record.price * 0.2', resultType: 'number' } });
    expect(toFieldDefinition({ ...emptyDraft('relation'), label: 'Holder', name: 'holder', target: 'company', kind: 'manyToMany' }).options).toEqual({ target: 'company', kind: 'manyToMany' });
    expect(toFieldDefinition({ ...emptyDraft('currency'), label: 'Price', name: 'price', currency: 'USD' }).options).toEqual({ defaultCurrency: 'USD' });
    expect(toFieldDefinition({ ...emptyDraft('currency'), label: 'Price', name: 'price', conversionDateField: 'closeDate' }).options).toEqual({ conversionDateField: 'closeDate' });
    expect(toFieldDefinition({ ...emptyDraft('currency'), label: 'Price', name: 'price' }).options).toBeUndefined();
    expect(toFieldDefinition({ ...emptyDraft('email'), label: 'Mail', name: 'mail', encrypted: true, multiple: true }).options).toEqual({ multiple: true, encrypted: true });
    expect(toFieldDefinition({ ...emptyDraft('boolean'), label: 'Ok', name: 'ok', encrypted: true, unique: true }).options).toBeUndefined();
  });

  it('should build a reference to any object, or to the objects chosen', () => {
    expect(toFieldDefinition({ ...emptyDraft('reference'), label: 'About', name: 'about' })).toEqual({ name: 'about', type: 'reference', label: 'About' });
    expect(toFieldDefinition({ ...emptyDraft('reference'), label: 'Host', name: 'host', targets: ['person', 'company'], required: true, unique: true }))
      .toEqual({ name: 'host', type: 'reference', label: 'Host', required: true, options: { targets: ['person', 'company'] } });
  });

  it('should patch the objects a reference may point to, null when it may point to any again', () => {
    const host: FieldDefinition = { name: 'host', type: 'reference', label: 'Host', options: { targets: ['company'] } };
    const about: FieldDefinition = { name: 'about', type: 'reference', label: 'About' };

    expect(draftOf(host).targets).toEqual(['company']);
    expect(toFieldPatch(draftOf(host), host)).toEqual({});
    expect(toFieldPatch({ ...draftOf(host), targets: ['company', 'person'] }, host)).toEqual({ options: { targets: ['company', 'person'] } });
    expect(toFieldPatch({ ...draftOf(host), targets: [] }, host)).toEqual({ options: { targets: null } });
    expect(toFieldPatch({ ...draftOf(about), targets: ['person'] }, about)).toEqual({ options: { targets: ['person'] } });
    expect(draftFieldOfError('options.targets')).toBe('targets');
  });

  it('should keep validation rules that have an expression', () => {
    const draft = { ...emptyDraft('number'), label: 'Seats', name: 'seats', rules: [{ expression: 'value > 0.0', message: 'At least one' }, { expression: ' ', message: '' }] };
    expect(toFieldDefinition(draft).validation).toEqual([{ expression: 'value > 0.0', message: 'At least one' }]);
  });

  it('should patch only what changed, never a relation target or the encryption', () => {
    const field: FieldDefinition = { name: 'fuel', type: 'select', label: 'Fuel', options: { choices: [{ value: 'a', label: 'A' }] } };
    const draft = draftOf(field);

    expect(toFieldPatch(draft, field)).toEqual({});
    expect(toFieldPatch({ ...draft, label: 'Fuel type', helpText: 'What it runs on', required: true }, field)).toEqual({ label: 'Fuel type', helpText: 'What it runs on', required: true });
    expect(toFieldPatch({ ...draft, choices: [{ value: 'a', label: 'A', color: 'red' }] }, field)).toEqual({ options: { choices: [{ value: 'a', label: 'A', color: 'red' }] } });
    const relation: FieldDefinition = { name: 'holder', type: 'relation', label: 'Holder', options: { target: 'company', kind: 'manyToOne', inverseName: 'cars' } };
    expect(toFieldPatch({ ...draftOf(relation), target: 'person' }, relation)).toEqual({});
    const secret: FieldDefinition = { name: 'code', type: 'text', label: 'Code', options: { encrypted: true } };
    expect(toFieldPatch({ ...draftOf(secret), label: 'Secret code' }, secret)).toEqual({ label: 'Secret code' });
  });

  it('should map API error paths to the inputs that show them', () => {
    expect(draftFieldOfError('options.choices[1].value')).toBe('choices');
    expect(draftFieldOfError('options.expression')).toBe('expression');
    expect(draftFieldOfError('validation[0].expression')).toBe('rule0');
    expect(draftFieldOfError('label')).toBe('label');
  });
});
