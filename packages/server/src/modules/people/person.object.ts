import type { ObjectDefinition } from '@rapport/common';

export const personObject: ObjectDefinition = {
  name: 'person',
  labelSingular: 'Person',
  labelPlural: 'People',
  icon: 'user',
  labelField: 'fullName',
  fields: [
    { name: 'firstName', type: 'text', label: 'First name', isSearchable: true },
    { name: 'lastName', type: 'text', label: 'Last name', isSearchable: true },
    {
      name: 'fullName',
      type: 'formula',
      label: 'Full name',
      options: { expression: '[record.?firstName.orValue(""), record.?lastName.orValue("")].join(" ").trim()', resultType: 'text' },
    },
    { name: 'email', type: 'email', label: 'Email', unique: true, isSearchable: true },
    { name: 'phone', type: 'phone', label: 'Phone', isSearchable: true },
    { name: 'jobTitle', type: 'text', label: 'Job title' },
    {
      name: 'company',
      type: 'relation',
      label: 'Company',
      options: { target: 'company', kind: 'manyToOne', inverseName: 'people', inverseLabel: 'People', onDelete: 'setNull' },
    },
    { name: 'address', type: 'address', label: 'Address' },
    { name: 'owner', type: 'owner', label: 'Owner' },
  ],
};

/**
 * Composite indexes for the list views people use most (country filter sorted by name). Every field
 * already has its own (column, id) index: a one-field composite would only duplicate it.
 */
export const personIndexes = [{ fields: ['address.country', 'lastName'] }];
