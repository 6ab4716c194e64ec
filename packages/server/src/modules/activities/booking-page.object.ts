import type { ObjectDefinition } from '@rapport/common';

/**
 * A public booking page (FEATURES C12, C13): `/book/{slug}` offers the free slots of its members' CRM calendars within
 * `availability` (weekday → ranges of local times in `timezone`; absent: weekdays 09:00–17:00) and books a meeting.
 */
export const bookingPageObject: ObjectDefinition = {
  name: 'bookingPage',
  labelSingular: 'Booking page',
  labelPlural: 'Booking pages',
  icon: 'calendar-plus',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true, isSearchable: true },
    { name: 'slug', type: 'text', label: 'Address', required: true, unique: true, helpText: 'The page is at /book/{address}: lower-case letters, digits and dashes.', options: { maxLength: 80 } },
    { name: 'description', type: 'longText', label: 'Description' },
    { name: 'durationMinutes', type: 'number', label: 'Meeting length (minutes)', required: true, defaultValue: 30, options: { precision: 0, min: 5, max: 480 } },
    // More lengths a visitor may choose from, besides durationMinutes.
    { name: 'durationOptions', type: 'json', label: 'Other lengths (minutes)' },
    { name: 'timezone', type: 'text', label: 'Time zone', required: true, defaultValue: 'UTC', helpText: 'An IANA time zone, e.g. Europe/Paris.' },
    { name: 'availability', type: 'json', label: 'Working hours', helpText: '{"mon": [["09:00","17:00"]], …}; absent: weekdays 09:00–17:00.' },
    { name: 'bufferMinutes', type: 'number', label: 'Buffer around meetings (minutes)', defaultValue: 0, options: { precision: 0, min: 0, max: 240 } },
    { name: 'minimumNoticeMinutes', type: 'number', label: 'Minimum notice (minutes)', defaultValue: 240, options: { precision: 0, min: 0 } },
    { name: 'maximumPerDay', type: 'number', label: 'Most meetings a day per member', options: { precision: 0, min: 1 } },
    { name: 'members', type: 'json', label: 'Members', helpText: 'The user ids whose calendars the page books; absent: its owner.' },
    {
      name: 'assignment',
      type: 'select',
      label: 'Assignment',
      required: true,
      defaultValue: 'roundRobin',
      options: {
        choices: [
          { value: 'roundRobin', label: 'Round robin', color: 'blue' },
          { value: 'firstAvailable', label: 'First available', color: 'teal' },
        ],
      },
    },
    { name: 'isActive', type: 'boolean', label: 'Published', defaultValue: true },
    { name: 'owner', type: 'owner', label: 'Owner' },
  ],
};
