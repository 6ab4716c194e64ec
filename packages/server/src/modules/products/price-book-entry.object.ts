import type { ObjectDefinition } from '@rapport/common';

/** A product's price in a price book, in the book's currency; one entry per book and product (price-book-rules.ts). */
export const priceBookEntryObject: ObjectDefinition = {
  name: 'priceBookEntry',
  labelSingular: 'Price book entry',
  labelPlural: 'Price book entries',
  icon: 'tag',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', helpText: 'Set from the book and the product.', isSearchable: true },
    {
      name: 'priceBook',
      type: 'relation',
      label: 'Price book',
      required: true,
      options: { target: 'priceBook', kind: 'manyToOne', inverseName: 'entries', inverseLabel: 'Entries', onDelete: 'cascade' },
    },
    {
      name: 'product',
      type: 'relation',
      label: 'Product',
      required: true,
      options: { target: 'product', kind: 'manyToOne', inverseName: 'priceBookEntries', inverseLabel: 'Price book entries', onDelete: 'cascade' },
    },
    { name: 'unitPrice', type: 'currency', label: 'Unit price', required: true, helpText: "In the book's currency." },
    {
      name: 'minQuantity',
      type: 'number',
      label: 'Minimum quantity',
      helpText: 'Below it, a product line starts at the product\'s list price instead.',
      options: { min: 0 },
    },
  ],
};
