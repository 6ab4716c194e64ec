import type { ObjectDefinition } from '@rapport/common';
import { activityLinks, relatedField } from './task.object.ts';

export const noteObject: ObjectDefinition = {
  name: 'note',
  labelSingular: 'Note',
  labelPlural: 'Notes',
  icon: 'note',
  labelField: 'title',
  fields: [
    { name: 'title', type: 'text', label: 'Title', isSearchable: true },
    { name: 'body', type: 'richText', label: 'Body' },
    { name: 'owner', type: 'owner', label: 'Author' },
    relatedField,
    ...activityLinks('notes', 'Notes'),
  ],
};
