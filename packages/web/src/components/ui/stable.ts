import { useCallback, useRef } from 'react';

/** The same function on every render, calling the latest `fn`: as a prop, it does not make a memoised child render again. */
export const useStableCallback = <Args extends unknown[], Result>(fn: (...args: Args) => Result): ((...args: Args) => Result) => {
  const latest = useRef(fn);
  latest.current = fn;
  return useCallback((...args: Args) => latest.current(...args), []);
};

/** `value` as it was given before while its JSON is the same: arrays and objects derived on each render keep their identity. */
export const useStableValue = <T>(value: T): T => {
  const previous = useRef<{ key: string; value: T } | null>(null);
  const key = JSON.stringify(value) ?? 'undefined';
  if (previous.current?.key !== key) previous.current = { key, value };
  return previous.current.value;
};
