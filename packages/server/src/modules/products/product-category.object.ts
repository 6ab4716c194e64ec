import type { ObjectDefinition } from '@rapport/common';

/** Product categories as a taxonomy tree: each category names its parent (none for a root); `children` lists the others way. */
export const productCategoryObject: ObjectDefinition = {
  name: 'productCategory',
  labelSingular: 'Product category',
  labelPlural: 'Product categories',
  icon: 'folders',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, isSearchable: true },
    {
      name: 'parent',
      type: 'relation',
      label: 'Parent category',
      helpText: 'Left empty, the category is at the top of the tree.',
      options: { target: 'productCategory', kind: 'manyToOne', inverseName: 'children', inverseLabel: 'Subcategories', onDelete: 'setNull' },
    },
    { name: 'description', type: 'longText', label: 'Description' },
  ],
};
