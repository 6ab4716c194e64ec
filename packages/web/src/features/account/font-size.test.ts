import { describe, expect, it } from 'vitest';
import { applyFontSize, FONT_SIZE_STORAGE_KEY, readFontSize, rememberFontSize, rootFontSizeOf, toFontSize } from './font-size.ts';

const memoryStore = () => {
  const values = new Map<string, string>();
  return {
    values,
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  };
};

describe('font size', () => {
  it('should size the root as a share of the browser font size, leaving the default to the browser', () => {
    expect(rootFontSizeOf('small')).toBe('87.5%');
    expect(rootFontSizeOf('default')).toBe('');
    expect(rootFontSizeOf('large')).toBe('112.5%');
    expect(rootFontSizeOf('larger')).toBe('125%');
  });

  it('should read anything unknown as the default size', () => {
    expect(toFontSize('large')).toBe('large');
    expect(toFontSize('huge')).toBe('default');
    expect(toFontSize(null)).toBe('default');
  });

  it('should remember a choice and forget the default', () => {
    const store = memoryStore();
    expect(readFontSize(store)).toBe('default');
    rememberFontSize('larger', store);
    expect(store.values.get(FONT_SIZE_STORAGE_KEY)).toBe('larger');
    expect(readFontSize(store)).toBe('larger');
    rememberFontSize('default', store);
    expect(store.values.has(FONT_SIZE_STORAGE_KEY)).toBe(false);
  });

  it('should survive blocked storage', () => {
    const blocked = { getItem: () => { throw new Error('blocked'); }, setItem: () => { throw new Error('blocked'); }, removeItem: () => { throw new Error('blocked'); } };
    expect(readFontSize(blocked)).toBe('default');
    expect(() => rememberFontSize('large', blocked)).not.toThrow();
  });

  it('should set and clear the root font size', () => {
    const root = { style: { fontSize: '' } };
    applyFontSize('large', root);
    expect(root.style.fontSize).toBe('112.5%');
    applyFontSize('default', root);
    expect(root.style.fontSize).toBe('');
  });
});
