import type { ObjectMeta } from '../metadata/types.ts';
import type { StoredEvent } from '../events/outbox.ts';
import type { NotificationKind } from './notification.service.ts';

/**
 * A module's reminder: when `field` (a datetime) of an `object` record is set, its owner-type field's
 * user is reminded at that time, through the job queue — unless `isSettled` says the record needs no
 * reminder any more (a task done).
 */
export interface ReminderRule {
  object: string;
  field: string;
  isSettled?(record: Record<string, unknown>): boolean;
}

export interface NotificationCandidate {
  userId: string;
  kind: NotificationKind;
  /** The rich-text field that mentions the user. */
  field?: string;
}

// Mentions are stored in rich text as the editor writes them: `<span data-type="mention" data-id="<user id>">@Name</span>`.
const MENTION_TAG = /<[^>]*\bdata-type\s*=\s*["']mention["'][^>]*>/gi;
const DATA_ID = /\bdata-id\s*=\s*["']([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})["']/i;

/** The user ids mentioned in a rich-text value, each once, in order. */
export const findMentionedUserIds = (html: string): string[] => {
  const ids = new Set<string>();
  for (const tag of html.match(MENTION_TAG) ?? []) {
    const id = DATA_ID.exec(tag)?.[1];
    if (id) ids.add(id.toLowerCase());
  }
  return [...ids];
};

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** The text of a rich-text value, shortened for a notification. */
export const toExcerpt = (html: string, maxLength = 160): string => {
  const text = html
    .replace(/<(br|\/p|\/div|\/li)[^>]*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ENTITIES[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > maxLength ? `${text.slice(0, maxLength - 1).trimEnd()}…` : text;
};

const changedOnEvent = (event: StoredEvent, name: string) => event.type === 'record.created' || event.changedFields.includes(name);

/**
 * Who a record event concerns, before their permissions are checked: users mentioned in a rich-text
 * field it wrote, and the user an owner-type field was given to. Never the person who made the change.
 */
export const findCandidates = (object: ObjectMeta, event: StoredEvent): NotificationCandidate[] => {
  if (event.type !== 'record.created' && event.type !== 'record.updated') return [];
  const candidates: NotificationCandidate[] = [];
  const seen = new Set<string>();
  const add = (candidate: NotificationCandidate) => {
    const key = `${candidate.kind}:${candidate.userId}`;
    if (candidate.userId === event.actorId || seen.has(key)) return;
    seen.add(key);
    candidates.push(candidate);
  };
  for (const field of object.fields) {
    if (!changedOnEvent(event, field.name)) continue;
    const value = event.payload[field.name];
    if (field.type === 'richText' && typeof value === 'string') {
      for (const userId of findMentionedUserIds(value)) add({ userId, kind: 'mention', field: field.name });
    }
    if (field.type === 'owner' && typeof value === 'string') add({ userId: value, kind: 'assignment' });
  }
  return candidates;
};
