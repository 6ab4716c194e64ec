import type { ObjectDefinition } from '@rapport/common';
import { describe, expect, it } from 'vitest';
import { activityLinkOf, activityLinkValueOf, activityTimeOf, callDurationOf, relatedListsBesidePanel, fromLocalInput, isBlankHtml, noteTitleOf, splitMeetings, toLocalInput } from './activity-model.ts';
import { findMentionCandidates } from './mention-candidates.ts';

const note = {
  name: 'note',
  labelSingular: 'Note',
  labelPlural: 'Notes',
  fields: [
    { name: 'title', type: 'text', label: 'Title' },
    { name: 'person', type: 'relation', label: 'Person', options: { target: 'person', kind: 'manyToOne' } },
    { name: 'company', type: 'relation', label: 'Company', options: { target: 'company', kind: 'manyToOne' } },
  ],
} as unknown as ObjectDefinition;

describe('activity model', () => {
  it('should find the field that links an activity to a record of an object', () => {
    expect(activityLinkOf(note, 'company')).toBe('company');
    expect(activityLinkOf(note, 'opportunity')).toBeUndefined();
    expect(activityLinkOf(undefined, 'person')).toBeUndefined();
  });

  it('should link an activity to a record of any object through its reference, a typed link first, and write each as it reads', () => {
    const comment = {
      name: 'comment',
      fields: [
        { name: 'person', type: 'relation', options: { target: 'person', kind: 'manyToOne' } },
        { name: 'related', type: 'reference' },
      ],
    } as unknown as ObjectDefinition;
    const limited = { name: 'note', fields: [{ name: 'about', type: 'reference', options: { targets: ['vehicle'] } }] } as unknown as ObjectDefinition;
    const vehicle = { name: 'vehicle', fields: [] } as unknown as ObjectDefinition;
    const [person, rate] = [{ name: 'person', isStandard: true, fields: [] }, { name: 'exchangeRate', isStandard: true, fields: [] }] as unknown as ObjectDefinition[];

    expect(activityLinkOf(comment, person!)).toBe('person');
    expect(activityLinkOf(comment, vehicle)).toBe('related');
    // A standard object without a typed link (a rate, a pipeline) gets no activities.
    expect(activityLinkOf(comment, rate!)).toBeUndefined();
    expect(activityLinkOf(limited, vehicle)).toBe('about');
    expect(activityLinkOf(limited, { ...vehicle, name: 'boat' })).toBeUndefined();
    expect(activityLinkValueOf([comment], 'comment', 'person', 'person', 'p-1')).toEqual({ person: 'p-1' });
    expect(activityLinkValueOf([comment], 'comment', 'related', 'vehicle', 'v-1')).toEqual({ related: { object: 'vehicle', id: 'v-1' } });
  });

  it('should drop the notes and tasks related lists the activity panel already shows, keeping the others', () => {
    const task = { name: 'task', fields: [{ name: 'company', type: 'relation', options: { target: 'company', kind: 'manyToOne' } }] } as unknown as ObjectDefinition;
    const company = { name: 'company', fields: [] } as unknown as ObjectDefinition;
    const lists = [
      { name: 'people', type: 'relation', options: { target: 'person', kind: 'oneToMany', inverseName: 'company' } },
      { name: 'notes', type: 'relation', options: { target: 'note', kind: 'oneToMany', inverseName: 'company' } },
      { name: 'tasks', type: 'relation', options: { target: 'task', kind: 'oneToMany', inverseName: 'company' } },
      // A second link to notes (e.g. "reviewed notes") is no duplicate of the panel.
      { name: 'reviewedNotes', type: 'relation', options: { target: 'note', kind: 'oneToMany', inverseName: 'reviewer' } },
    ] as unknown as ObjectDefinition['fields'];
    expect(relatedListsBesidePanel(company, lists, [note, task, company]).map((field) => field.name)).toEqual(['people', 'reviewedNotes']);
    // Without the note object (no read permission), its list stays: the panel cannot show it.
    expect(relatedListsBesidePanel(company, lists, [task, company]).map((field) => field.name)).toEqual(['people', 'notes', 'reviewedNotes']);
  });

  it('should turn a datetime-local value into an ISO time and back', () => {
    const iso = fromLocalInput('2026-12-01T09:30')!;
    expect(new Date(iso).getHours()).toBe(9);
    expect(toLocalInput(iso)).toBe('2026-12-01T09:30');
    expect(fromLocalInput('')).toBeNull();
    expect(toLocalInput(null)).toBe('');
  });

  it('should see an empty paragraph as blank, and a mention alone as content', () => {
    expect(isBlankHtml('<p></p>')).toBe(true);
    expect(isBlankHtml('<p>&nbsp; </p>')).toBe(true);
    expect(isBlankHtml('<p>Hi</p>')).toBe(false);
    expect(isBlankHtml('<p><span data-type="mention" data-id="u1"></span></p>')).toBe(false);
  });

  it('should name a note after its first line of text', () => {
    expect(noteTitleOf('\n  Call back tomorrow @Bob\nSecond line')).toBe('Call back tomorrow @Bob');
    expect(noteTitleOf('x'.repeat(100))).toHaveLength(80);
    expect(noteTitleOf('')).toBe('');
  });

  it('should suggest users whose name starts with what was typed after @', () => {
    const users = [
      { id: '1', name: 'Bob Stone', email: 'bob@example.com' },
      { id: '2', name: 'Alice Martin', email: 'alice@example.com' },
      { id: '3', name: null, email: 'carol@example.com' },
    ];
    expect(findMentionCandidates(users, 'sto').map((user) => user.id)).toEqual(['1']);
    expect(findMentionCandidates(users, 'car')).toEqual([{ id: '3', label: 'carol@example.com' }]);
    expect(findMentionCandidates(users, '')).toHaveLength(3);
  });

  it('should suggest teams after users, marked as teams', () => {
    const users = [{ id: '1', name: 'Kim Keyes', email: 'kim@example.com' }];
    const teams = [{ id: 't1', name: 'Key accounts' }, { id: 't2', name: 'Support' }];
    expect(findMentionCandidates(users, 'key', teams)).toEqual([{ id: '1', label: 'Kim Keyes' }, { id: 't1', label: 'Key accounts', isTeam: true }]);
    expect(findMentionCandidates([], 'sup', teams)).toEqual([{ id: 't2', label: 'Support', isTeam: true }]);
  });

  it('should date meetings and calls when they happen, other activities when added', () => {
    const createdAt = '2026-12-01T08:00:00Z';
    expect(activityTimeOf('meeting', { createdAt, start: '2026-12-09T14:00:00Z' })).toBe('2026-12-09T14:00:00Z');
    expect(activityTimeOf('call', { createdAt, startedAt: '2026-11-30T10:00:00Z' })).toBe('2026-11-30T10:00:00Z');
    expect(activityTimeOf('call', { createdAt, startedAt: null })).toBe(createdAt);
    expect(activityTimeOf('task', { createdAt, dueAt: '2026-12-24T10:00:00Z' })).toBe(createdAt);
  });

  it('should show a call length as m:ss, with hours from an hour, and nothing for no length', () => {
    expect([callDurationOf(0), callDurationOf(65), callDurationOf(3600 + 62), callDurationOf(null), callDurationOf(-1)]).toEqual(['0:00', '1:05', '1:01:02', null, null]);
  });

  it('should list meetings to come soonest first and past ones latest first, a meeting under way still to come', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    const meeting = (id: string, start: string, end: string) => ({ id, start, end });
    const { upcoming, past } = splitMeetings(
      [meeting('later', '2026-12-05T09:00:00Z', '2026-12-05T10:00:00Z'), meeting('old', '2026-11-01T09:00:00Z', '2026-11-01T10:00:00Z'), meeting('now', '2026-12-02T11:30:00Z', '2026-12-02T12:30:00Z'), meeting('recent', '2026-12-01T09:00:00Z', '2026-12-01T10:00:00Z')],
      now,
    );
    expect(upcoming.map((item) => item.id)).toEqual(['now', 'later']);
    expect(past.map((item) => item.id)).toEqual(['recent', 'old']);
  });
});

