import type { ObjectDefinition } from '@rapport/common';

export const companyObject: ObjectDefinition = {
  name: 'company',
  labelSingular: 'Company',
  labelPlural: 'Companies',
  icon: 'building',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, isSearchable: true },
    { name: 'domain', type: 'url', label: 'Domain', helpText: 'The main website, e.g. acme.com.', isSearchable: true },
    {
      name: 'industry',
      type: 'select',
      label: 'Industry',
      options: {
        choices: [
          { value: 'software', label: 'Software', color: 'blue' },
          { value: 'manufacturing', label: 'Manufacturing', color: 'gray' },
          { value: 'retail', label: 'Retail', color: 'orange' },
          { value: 'finance', label: 'Finance', color: 'green' },
          { value: 'healthcare', label: 'Healthcare', color: 'red' },
          { value: 'education', label: 'Education', color: 'yellow' },
          { value: 'consulting', label: 'Consulting', color: 'violet' },
          { value: 'logistics', label: 'Logistics', color: 'teal' },
          { value: 'energy', label: 'Energy', color: 'lime' },
          { value: 'media', label: 'Media', color: 'pink' },
          { value: 'other', label: 'Other', color: 'dark' },
        ],
      },
    },
    { name: 'employees', type: 'number', label: 'Employees', options: { min: 0, precision: 0 } },
    { name: 'annualRevenue', type: 'currency', label: 'Annual revenue' },
    {
      name: 'parentCompany',
      type: 'relation',
      label: 'Parent company',
      options: { target: 'company', kind: 'manyToOne', inverseName: 'childCompanies', inverseLabel: 'Child companies', onDelete: 'setNull' },
    },
    { name: 'address', type: 'address', label: 'Address' },
    { name: 'phone', type: 'phone', label: 'Phone', isSearchable: true },
    { name: 'owner', type: 'owner', label: 'Owner' },
  ],
};
