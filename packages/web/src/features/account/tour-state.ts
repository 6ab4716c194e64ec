/** Where the guided tour remembers, per user and browser, that it was finished or dismissed. */
export const tourKey = (userId: string) => `rapport.tour.${userId}`;

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

const storageOf = (): KeyValueStore | undefined => {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined; // storage blocked: the tour shows, and is not remembered
  }
};

export const isTourDone = (userId: string, store: KeyValueStore | undefined = storageOf()): boolean => store?.getItem(tourKey(userId)) === 'done';

export const markTourDone = (userId: string, store: KeyValueStore | undefined = storageOf()): void => {
  try {
    store?.setItem(tourKey(userId), 'done');
  } catch {
    // full or blocked storage: the tour may show again next time
  }
};

export const TOUR_STEPS = ['navigation', 'search', 'settings'] as const;
export type TourStep = (typeof TOUR_STEPS)[number];

/** The steps a person sees: the settings step only for administrators (others have no Settings). */
export const tourStepsFor = (isAdmin: boolean): TourStep[] => TOUR_STEPS.filter((step) => step !== 'settings' || isAdmin);
