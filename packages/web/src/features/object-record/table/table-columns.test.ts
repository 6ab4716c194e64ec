import { describe, expect, it } from 'vitest';
import { clampColumnWidth, layoutOfColumns, moveColumn, moveColumnTo, orderColumns, parseColumnLayout, parseHiddenColumns } from './table-columns.ts';

describe('table column layout', () => {
  it('should put listed columns first, drop unknown ones and append new ones in their default order', () => {
    expect(orderColumns(['name', 'email', 'phone', 'company'], ['phone', 'gone', 'name', 'phone'])).toEqual(['phone', 'name', 'email', 'company']);
    expect(orderColumns(['name', 'email'], [])).toEqual(['name', 'email']);
  });

  it('should move a column one place left or right, and not past either end', () => {
    expect(moveColumn(['a', 'b', 'c'], 'b', -1)).toEqual(['b', 'a', 'c']);
    expect(moveColumn(['a', 'b', 'c'], 'b', 1)).toEqual(['a', 'c', 'b']);
    expect(moveColumn(['a', 'b', 'c'], 'a', -1)).toEqual(['a', 'b', 'c']);
    expect(moveColumn(['a', 'b', 'c'], 'c', 1)).toEqual(['a', 'b', 'c']);
    expect(moveColumnTo(['a', 'b', 'c', 'd'], 'd', 'b')).toEqual(['a', 'd', 'b', 'c']);
    expect(moveColumnTo(['a', 'b', 'c', 'd'], 'a', 'c')).toEqual(['b', 'c', 'a', 'd']);
  });

  it('should read a stored layout, keeping widths within what the API accepts, and ignore garbage', () => {
    expect(parseColumnLayout(JSON.stringify({ order: ['a', 3, 'b'], widths: { a: 10, b: 250.4, c: 'wide', d: 99_999 } }))).toEqual({ order: ['a', 'b'], widths: { a: 60, b: 250, d: 2000 } });
    expect(parseColumnLayout('not json')).toEqual({ order: [], widths: {} });
    expect(parseColumnLayout(null)).toEqual({ order: [], widths: {} });
    expect(clampColumnWidth(123.6)).toBe(124);
  });

  it('should take a saved view\'s columns as a layout', () => {
    expect(layoutOfColumns([{ field: 'amount', width: 300 }, { field: 'name' }, { field: 'stage' }])).toEqual({ order: ['amount', 'name', 'stage'], widths: { amount: 300 } });
  });
});

describe('hidden columns', () => {
  it('should hide the default columns (long bodies) only while nothing was stored', () => {
    expect(parseHiddenColumns(null, ['notes', 'body'])).toEqual({ notes: false, body: false });
    // A stored choice wins, an empty one included: the person showed them.
    expect(parseHiddenColumns('[]', ['notes'])).toEqual({});
    expect(parseHiddenColumns('["phone"]', ['notes'])).toEqual({ phone: false });
    expect(parseHiddenColumns('not json', ['notes'])).toEqual({});
  });
});
