import type { ObjectDefinition } from '@rapport/common';
import { activityLinks, relatedField } from './task.object.ts';

/**
 * A record's discussion: comments in rich text, with @mentions of users (notified by the notifications consumer).
 * `related` names the record (any object); the typed links carry it for people, companies and deals, whose pages list
 * their discussion through them.
 */
export const commentObject: ObjectDefinition = {
  name: 'comment',
  labelSingular: 'Comment',
  labelPlural: 'Comments',
  icon: 'message',
  labelField: 'body',
  fields: [
    { name: 'body', type: 'richText', label: 'Comment', required: true },
    { name: 'owner', type: 'owner', label: 'Author' },
    { ...relatedField, required: true },
    {
      name: 'replyTo',
      type: 'relation',
      label: 'In reply to',
      options: { target: 'comment', kind: 'manyToOne', inverseName: 'replies', inverseLabel: 'Replies', onDelete: 'setNull' },
    },
    ...activityLinks('comments', 'Comments'),
  ],
};
