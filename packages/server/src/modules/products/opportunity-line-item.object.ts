import type { FieldDefinition, ObjectDefinition } from '@rapport/common';

/**
 * A product line of a deal: a product of the catalogue (or a custom line: a name and no product), its quantity,
 * unit price, discount and tax rate. `total` (before tax) and `totalWithTax` are computed by the write path
 * (line-item-rules.ts); the deal's amount is the sum of its lines' totals unless overridden.
 */
export const opportunityLineItemObject: ObjectDefinition = {
  name: 'opportunityLineItem',
  labelSingular: 'Product line',
  labelPlural: 'Product lines',
  icon: 'list-details',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, isSearchable: true, helpText: "Left empty, the product's name." },
    {
      name: 'opportunity',
      type: 'relation',
      label: 'Opportunity',
      required: true,
      options: { target: 'opportunity', kind: 'manyToOne', inverseName: 'lineItems', inverseLabel: 'Product lines', onDelete: 'cascade' },
    },
    {
      name: 'product',
      type: 'relation',
      label: 'Product',
      helpText: 'Left empty for a custom line.',
      options: { target: 'product', kind: 'manyToOne', inverseName: 'opportunityLineItems', inverseLabel: 'Product lines', onDelete: 'setNull' },
    },
    { name: 'quantity', type: 'number', label: 'Quantity', required: true, defaultValue: 1, validation: [{ expression: 'value > 0.0', message: 'The quantity is greater than zero.' }] },
    { name: 'unitPrice', type: 'currency', label: 'Unit price', helpText: "Left empty, the price of the deal's price book, else the product's list price." },
    { name: 'discount', type: 'percent', label: 'Discount', defaultValue: 0, options: { min: 0, max: 100 } },
    { name: 'taxRate', type: 'percent', label: 'Tax rate', helpText: "Left empty, the product's tax rate.", options: { min: 0, max: 100 } },
    { name: 'total', type: 'currency', label: 'Total', helpText: 'Quantity × unit price × (1 − discount), before tax. Computed.' },
    { name: 'totalWithTax', type: 'currency', label: 'Total with tax', helpText: 'The total plus its tax. Computed.' },
    { name: 'position', type: 'number', label: 'Position', options: { precision: 0 }, helpText: 'Order of the line on the deal; left empty, after the others.' },
  ],
};

/**
 * The fields products add to the opportunity (spread into its definition): the deal's price book, and whether its
 * amount is entered by hand instead of following the sum of its product lines.
 */
export const opportunityProductFields: FieldDefinition[] = [
  {
    name: 'priceBook',
    type: 'relation',
    label: 'Price book',
    helpText: "Prices of new product lines come from it; left empty, the default price book of the deal's currency.",
    options: { target: 'priceBook', kind: 'manyToOne', inverseName: 'opportunities', inverseLabel: 'Opportunities', onDelete: 'setNull' },
  },
  {
    name: 'amountOverridden',
    type: 'boolean',
    label: 'Amount entered by hand',
    defaultValue: false,
    helpText: 'Off: the amount is the sum of the product lines (when the deal has some). On: the amount is yours to enter.',
  },
];
