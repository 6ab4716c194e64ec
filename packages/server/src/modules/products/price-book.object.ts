import type { ObjectDefinition } from '@rapport/common';

/**
 * A price list in one currency for one segment of customers. A deal names its price book; a deal without one uses
 * the active default book of its currency. Its entries give each product's price (price-book-entry.object.ts).
 */
export const priceBookObject: ObjectDefinition = {
  name: 'priceBook',
  labelSingular: 'Price book',
  labelPlural: 'Price books',
  icon: 'book',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, unique: true, isSearchable: true },
    {
      name: 'currency',
      type: 'text',
      label: 'Currency',
      required: true,
      helpText: 'ISO 4217 code in capitals, e.g. EUR: every price of the book is in it.',
      options: { maxLength: 3 },
      validation: [{ expression: 'value.matches("^[A-Z]{3}$")', message: 'Use a three-letter ISO 4217 code in capitals, such as EUR.' }],
    },
    {
      name: 'segment',
      type: 'select',
      label: 'Segment',
      options: {
        choices: [
          { value: 'enterprise', label: 'Enterprise', color: 'violet' },
          { value: 'midMarket', label: 'Mid-market', color: 'blue' },
          { value: 'smb', label: 'Small business', color: 'teal' },
          { value: 'partner', label: 'Partner', color: 'orange' },
          { value: 'public', label: 'Public sector', color: 'gray' },
        ],
      },
    },
    { name: 'isDefault', type: 'boolean', label: 'Default', defaultValue: false, helpText: 'Used by the deals of its currency that name no price book.' },
    { name: 'isActive', type: 'boolean', label: 'Active', defaultValue: true },
    { name: 'validFrom', type: 'date', label: 'Valid from' },
    { name: 'validTo', type: 'date', label: 'Valid to' },
    { name: 'description', type: 'longText', label: 'Description' },
  ],
  validationRules: [
    {
      expression: '!has(record.validFrom) || !has(record.validTo) || record.validFrom <= record.validTo',
      message: 'The book cannot end before it starts.',
      field: 'validTo',
    },
  ],
};
