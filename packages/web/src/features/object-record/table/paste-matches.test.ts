import { describe, expect, it } from 'vitest';
import { matchRecord, matchUser, richTextOf } from './paste-matches.ts';

const users = [
  { id: 'u1', name: 'Ada Lovelace', email: 'ada@example.com', status: 'active' },
  { id: 'u2', name: 'Alan Turing', email: 'alan@example.com', status: 'active' },
  { id: 'u3', name: 'Alan Turing', email: 'alan.t@example.com', status: 'active' },
  { id: 'u4', name: 'Grace Hopper', email: 'grace.old@example.com', status: 'deactivated' },
  { id: 'u5', name: 'Grace Hopper', email: 'grace@example.com', status: 'active' },
  { id: 'u6', name: 'Édith Piaf', email: 'edith@example.com', status: 'invited' },
  { id: '0b0e7a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b', name: 'Id Person', email: 'id@example.com', status: 'active' },
];

describe('matchUser', () => {
  it('should find a member by name, ignoring case, accents and extra spaces', () => {
    expect(matchUser(users, 'Ada Lovelace')).toEqual({ id: 'u1' });
    expect(matchUser(users, '  ada   LOVELACE ')).toEqual({ id: 'u1' });
    expect(matchUser(users, 'edith piaf')).toEqual({ id: 'u6' });
  });

  it('should find a member by email, which tells namesakes apart', () => {
    expect(matchUser(users, 'ALAN.T@example.com')).toEqual({ id: 'u3' });
  });

  it('should prefer the active member of two namesakes, and call two active ones ambiguous', () => {
    expect(matchUser(users, 'Grace Hopper')).toEqual({ id: 'u5' });
    expect(matchUser(users, 'Alan Turing')).toEqual({ error: 'ambiguousUser' });
  });

  it('should refuse a name nobody has, and take a member\'s id as it is', () => {
    expect(matchUser(users, 'Charles Babbage')).toEqual({ error: 'unknownUser' });
    expect(matchUser(users, '0B0E7A3E-1C2D-4E5F-8A9B-0C1D2E3F4A5B')).toEqual({ id: '0b0e7a3e-1c2d-4e5f-8a9b-0c1d2e3f4a5b' });
    expect(matchUser(users, '11111111-2222-4333-8444-555555555555')).toEqual({ error: 'unknownUser' });
  });
});

describe('matchRecord', () => {
  it('should take the one record with the title, exactly or but for case and accents', () => {
    expect(matchRecord([{ id: 'c1', title: 'Initech' }, { id: 'c2', title: 'Initech Labs' }], 'Initech')).toEqual({ id: 'c1' });
    expect(matchRecord([{ id: 'c1', title: 'Société Générale' }], 'societe generale')).toEqual({ id: 'c1' });
  });

  it('should prefer the exact title to one that differs in case', () => {
    expect(matchRecord([{ id: 'c1', title: 'ACME' }, { id: 'c2', title: 'Acme' }], 'Acme')).toEqual({ id: 'c2' });
    expect(matchRecord([{ id: 'c1', title: 'ACME' }, { id: 'c2', title: 'Acme' }], 'acme')).toEqual({ error: 'ambiguousRecord' });
  });

  it('should call two records with the same title ambiguous, and a title no record has unknown', () => {
    expect(matchRecord([{ id: 'c1', title: 'Umbrella' }, { id: 'c2', title: 'Umbrella' }], 'Umbrella')).toEqual({ error: 'ambiguousRecord' });
    // The same record found twice (exact query and search) is one record.
    expect(matchRecord([{ id: 'c1', title: 'Umbrella' }, { id: 'c1', title: 'Umbrella' }], 'Umbrella')).toEqual({ id: 'c1' });
    expect(matchRecord([{ id: 'c1', title: 'Umbrella Corp' }], 'Umbrella')).toEqual({ error: 'unknownRecord' });
    expect(matchRecord([], 'Umbrella')).toEqual({ error: 'unknownRecord' });
  });
});

describe('richTextOf', () => {
  it('should escape markup and keep paragraphs and line breaks', () => {
    expect(richTextOf('Call <b>Ada</b> & "Alan"')).toBe('<p>Call &lt;b&gt;Ada&lt;/b&gt; &amp; &quot;Alan&quot;</p>');
    expect(richTextOf('First line\nsecond line\n\nNext paragraph\r\n')).toBe('<p>First line<br>second line</p><p>Next paragraph</p>');
    expect(richTextOf('<script>alert(1)</script>')).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('should make blank text an empty value', () => {
    expect(richTextOf('  \n\n ')).toBeNull();
  });
});
