import type { ObjectDefinition } from '@rapport/common';

/**
 * A person's consent to one purpose (GDPR art. 7, CCPA opt-outs): what they agreed to, when, where and
 * with which wording, and when they withdrew it. One record per person and purpose and grant; a
 * withdrawal is recorded on the grant it ends. The person's page lists them (inverse `consents`), the
 * data subject archive includes them, and erasing the person leaves them pointing to the erased record.
 */
export const consentObject: ObjectDefinition = {
  name: 'consent',
  labelSingular: 'Consent',
  labelPlural: 'Consents',
  icon: 'shield-check',
  labelField: 'purpose',
  fields: [
    {
      name: 'person',
      type: 'relation',
      label: 'Person',
      required: true,
      options: { target: 'person', kind: 'manyToOne', inverseName: 'consents', inverseLabel: 'Consents', onDelete: 'cascade' },
    },
    {
      name: 'purpose',
      type: 'select',
      label: 'Purpose',
      required: true,
      options: {
        choices: [
          { value: 'newsletter', label: 'Newsletter', color: 'blue' },
          { value: 'marketingEmail', label: 'Marketing emails', color: 'violet' },
          { value: 'phoneCalls', label: 'Phone calls', color: 'teal' },
          { value: 'profiling', label: 'Profiling', color: 'orange' },
          { value: 'dataSharing', label: 'Sharing with partners', color: 'red' },
        ],
      },
    },
    {
      name: 'status',
      type: 'select',
      label: 'Status',
      required: true,
      defaultValue: 'granted',
      options: {
        choices: [
          { value: 'granted', label: 'Granted', color: 'green' },
          { value: 'withdrawn', label: 'Withdrawn', color: 'gray' },
        ],
      },
    },
    { name: 'grantedAt', type: 'datetime', label: 'Granted at', required: true },
    { name: 'withdrawnAt', type: 'datetime', label: 'Withdrawn at' },
    { name: 'source', type: 'text', label: 'Source', helpText: 'Where it was given: a web form, an event, a call.' },
    { name: 'wording', type: 'longText', label: 'Wording shown', helpText: 'The text the person agreed to, word for word.' },
  ],
  validationRules: [
    {
      expression: "record.status != 'withdrawn' || has(record.withdrawnAt)",
      message: 'A withdrawn consent needs the date it was withdrawn.',
      field: 'withdrawnAt',
    },
  ],
};
