import type { TFunction } from 'i18next';
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useUsers, type WorkspaceUser } from '../../api/queries.ts';
import type { Formatters } from '../../i18n/format.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { useLabels, type Labels } from '../object-record/labels.ts';

/** What every shown value needs: translations, formatters, labels and the workspace's users. */
export interface ValueContext {
  t: TFunction;
  format: Formatters;
  labels: Labels;
  userName(id: string): string;
  /** The label of an empty value, translated once: a table shows hundreds of them. */
  emptyLabel: string;
}

const Context = createContext<ValueContext | undefined>(undefined);

const nameOf = (users: WorkspaceUser[] | undefined) => {
  const byId = new Map((users ?? []).map((user) => [user.id, user.name || user.email || user.id.slice(0, 8)]));
  return (id: string) => byId.get(id) ?? id.slice(0, 8);
};

// Built once for the whole app: a table shows thousands of values and each reads this one context
// instead of subscribing to translations and queries on its own.
export const ValueContextProvider = ({ children }: { children: ReactNode }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const labels = useLabels();
  const { data: users } = useUsers();
  const value = useMemo<ValueContext>(() => ({ t, format, labels, userName: nameOf(users), emptyLabel: t('fieldValue.empty') }), [t, format, labels, users]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
};

export const useValueContext = (): ValueContext => {
  const value = useContext(Context);
  if (!value) throw new Error('useValueContext outside ValueContextProvider');
  return value;
};
