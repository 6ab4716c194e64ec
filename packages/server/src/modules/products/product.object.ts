import type { ObjectDefinition } from '@rapport/common';

/** Units a product is sold by. */
export const PRODUCT_UNITS = ['piece', 'hour', 'day', 'week', 'month', 'year', 'licence', 'user', 'kg', 'metre', 'litre'] as const;

const unitLabels: Record<(typeof PRODUCT_UNITS)[number], string> = {
  piece: 'Piece',
  hour: 'Hour',
  day: 'Day',
  week: 'Week',
  month: 'Month',
  year: 'Year',
  licence: 'Licence',
  user: 'User',
  kg: 'Kilogram',
  metre: 'Metre',
  litre: 'Litre',
};

/**
 * The product catalogue (FEATURES D4): code, description, unit, cost and list price, a category of the taxonomy tree,
 * a brand and custom attributes to group products by, and the tax rate a product line starts with.
 */
export const productObject: ObjectDefinition = {
  name: 'product',
  labelSingular: 'Product',
  labelPlural: 'Products',
  icon: 'package',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, isSearchable: true },
    { name: 'code', type: 'text', label: 'Product code', unique: true, isSearchable: true, helpText: 'The SKU or reference: unique in the catalogue.' },
    { name: 'description', type: 'longText', label: 'Description' },
    {
      name: 'unit',
      type: 'select',
      label: 'Unit',
      defaultValue: 'piece',
      options: { choices: PRODUCT_UNITS.map((value) => ({ value, label: unitLabels[value] })) },
    },
    { name: 'cost', type: 'currency', label: 'Cost', helpText: 'What one unit costs the company.' },
    { name: 'price', type: 'currency', label: 'List price', helpText: 'The price of one unit when no price book gives one.' },
    {
      name: 'category',
      type: 'relation',
      label: 'Category',
      options: { target: 'productCategory', kind: 'manyToOne', inverseName: 'products', inverseLabel: 'Products', onDelete: 'setNull' },
    },
    { name: 'brand', type: 'text', label: 'Brand' },
    { name: 'isActive', type: 'boolean', label: 'Active', defaultValue: true, helpText: 'Inactive products stay on past deals but are not offered for new lines.' },
    { name: 'attributes', type: 'json', label: 'Attributes', helpText: 'Custom attributes to group products by, e.g. {"colour": "red", "tier": "gold"}.' },
    { name: 'taxRate', type: 'percent', label: 'Tax rate', helpText: 'The tax rate a product line starts with.', options: { min: 0, max: 100 } },
  ],
};
