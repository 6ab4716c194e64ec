/** The interface's font sizes, as a share of the browser's own size (so a larger browser default still counts). */
export const FONT_SIZES = [
  { id: 'small', scale: 0.875 },
  { id: 'default', scale: 1 },
  { id: 'large', scale: 1.125 },
  { id: 'larger', scale: 1.25 },
] as const;

export type FontSize = (typeof FONT_SIZES)[number]['id'];

export const FONT_SIZE_STORAGE_KEY = 'rapport.fontSize';

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
/** The element whose font size every rem of the app (Mantine's and ours) follows. */
type Root = { style: { fontSize: string } };

const storageOf = (): KeyValueStore | undefined => {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // storage blocked: the size lasts for this page only
  }
};

/** A stored value read back: anything unknown is the default size. */
export const toFontSize = (value: string | null | undefined): FontSize => FONT_SIZES.find((size) => size.id === value)?.id ?? 'default';

/** The root font size of `size`: a percentage of the browser's, empty for the default (the browser's own). */
export const rootFontSizeOf = (size: FontSize): string => {
  const { scale } = FONT_SIZES.find((candidate) => candidate.id === size)!;
  return scale === 1 ? '' : `${scale * 100}%`;
};

/** The size this person chose in this browser. */
export const readFontSize = (store: KeyValueStore | undefined = storageOf()): FontSize => {
  try {
    return toFontSize(store?.getItem(FONT_SIZE_STORAGE_KEY));
  } catch {
    return 'default';
  }
};

/** Remembers the choice in this browser (the default is stored as no choice). */
export const rememberFontSize = (size: FontSize, store: KeyValueStore | undefined = storageOf()): void => {
  try {
    if (size === 'default') store?.removeItem(FONT_SIZE_STORAGE_KEY);
    else store?.setItem(FONT_SIZE_STORAGE_KEY, size);
  } catch {
    // full or blocked storage: the size lasts for this page only
  }
};

/** Sizes the whole app: Mantine and the app's styles are in rem, so they follow the root's font size. */
export const applyFontSize = (size: FontSize, root: Root | undefined = typeof document === 'undefined' ? undefined : document.documentElement): void => {
  if (root) root.style.fontSize = rootFontSizeOf(size);
};

/**
 * Applies the remembered size before the app's first render, and follows a change made in another tab.
 * Returns the function that stops following.
 */
export const startFontSize = (): (() => void) => {
  applyFontSize(readFontSize());
  if (typeof window === 'undefined') return () => undefined;
  const onStorage = (event: StorageEvent) => {
    if (event.key === FONT_SIZE_STORAGE_KEY || event.key === null) applyFontSize(toFontSize(event.newValue));
  };
  window.addEventListener('storage', onStorage);
  return () => window.removeEventListener('storage', onStorage);
};
