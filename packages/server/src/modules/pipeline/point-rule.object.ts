import type { ObjectDefinition } from '@rapport/common';

/** What earns points on the leaderboard; none active switches gamification off. */
export const POINT_EVENTS = ['dealWon', 'dealCreated', 'taskCompleted', 'noteAdded', 'callMade', 'meetingHeld'] as const;
export type PointEvent = (typeof POINT_EVENTS)[number];

export const pointRuleObject: ObjectDefinition = {
  name: 'pointRule',
  labelSingular: 'Point rule',
  labelPlural: 'Point rules',
  icon: 'trophy',
  labelField: 'name',
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true },
    {
      name: 'event',
      type: 'select',
      label: 'When',
      required: true,
      options: {
        choices: [
          { value: 'dealWon', label: 'A deal is won', color: 'green' },
          { value: 'dealCreated', label: 'A deal is created', color: 'blue' },
          { value: 'taskCompleted', label: 'A task is completed', color: 'violet' },
          { value: 'noteAdded', label: 'A note is added', color: 'gray' },
          { value: 'callMade', label: 'A call is made', color: 'cyan' },
          { value: 'meetingHeld', label: 'A meeting is held', color: 'indigo' },
        ],
      },
    },
    { name: 'points', type: 'number', label: 'Points', required: true, defaultValue: 10, options: { precision: 0 } },
    { name: 'isActive', type: 'boolean', label: 'Active', defaultValue: true },
  ],
};

/** The rules a workspace starts with. */
export const defaultPointRules = () => [
  { name: 'Deal won', event: 'dealWon', points: 50, isActive: true },
  { name: 'Deal created', event: 'dealCreated', points: 10, isActive: true },
  { name: 'Task completed', event: 'taskCompleted', points: 5, isActive: true },
  { name: 'Note added', event: 'noteAdded', points: 2, isActive: true },
];
