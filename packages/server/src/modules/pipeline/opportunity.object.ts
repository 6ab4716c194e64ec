import type { ObjectDefinition } from '@rapport/common';

export const opportunityObject: ObjectDefinition = {
  name: 'opportunity',
  labelSingular: 'Opportunity',
  labelPlural: 'Opportunities',
  icon: 'target',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, isSearchable: true },
    { name: 'amount', type: 'currency', label: 'Amount' },
    {
      name: 'stage',
      type: 'select',
      label: 'Stage',
      required: true,
      defaultValue: 'qualification',
      options: {
        choices: [
          { value: 'qualification', label: 'Qualification', color: 'gray' },
          { value: 'meeting', label: 'Meeting', color: 'blue' },
          { value: 'proposal', label: 'Proposal', color: 'violet' },
          { value: 'negotiation', label: 'Negotiation', color: 'orange' },
          { value: 'won', label: 'Won', color: 'green' },
          { value: 'lost', label: 'Lost', color: 'red' },
        ],
      },
    },
    { name: 'probability', type: 'percent', label: 'Probability', options: { min: 0, max: 100 } },
    { name: 'closeDate', type: 'date', label: 'Close date' },
    {
      name: 'company',
      type: 'relation',
      label: 'Company',
      options: { target: 'company', kind: 'manyToOne', inverseName: 'opportunities', inverseLabel: 'Opportunities', onDelete: 'setNull' },
    },
    {
      name: 'contacts',
      type: 'relation',
      label: 'Contacts',
      options: { target: 'person', kind: 'manyToMany', inverseName: 'opportunities', inverseLabel: 'Opportunities' },
    },
    { name: 'owner', type: 'owner', label: 'Owner' },
  ],
  validationRules: [
    {
      expression: '!has(record.amount) || record.amount >= 0.0',
      message: 'The amount cannot be negative.',
      field: 'amount',
    },
  ],
};
