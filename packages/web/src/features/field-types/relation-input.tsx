import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { MultiSelect, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { ApiRecord, RecordPage, SearchHit } from '../../api/types.ts';
import { findObject, recordTitleOf, titleFieldOf } from '../object-record/metadata.ts';

export interface RelationInputProps {
  field: FieldDefinition;
  label: string;
  description?: string | undefined;
  required?: boolean | undefined;
  /** The message; `true` marks the input invalid while its message shows elsewhere (`describedBy`). */
  error?: string | boolean | undefined;
  /** The id of a message about the input shown outside it. */
  describedBy?: string | undefined;
  disabled?: boolean | undefined;
  placeholder?: string | undefined;
  objects: readonly ObjectDefinition[];
  value: string | string[];
  onChange(value: string | string[]): void;
  /** Related records read with the record (include), to name the current value. */
  initialRecords?: ApiRecord[];
  /** The label is for screen readers only (a compact row of inputs). */
  isLabelHidden?: boolean;
  /** False inside a popover: a list in a portal would count as a click outside it. */
  withinPortal?: boolean;
}

interface Option {
  value: string;
  label: string;
}

/** Picks related records: the first records of the target, then search results as a person types. */
export const RelationInput = ({ field, label, description, required, error, describedBy, disabled, placeholder, objects, value, onChange, initialRecords = [], isLabelHidden = false, withinPortal = true }: RelationInputProps) => {
  const { t } = useTranslation();
  const target = findObject(objects, field.options?.target);
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search.trim(), 250);
  const [known, setKnown] = useState<Record<string, string>>(() =>
    Object.fromEntries(initialRecords.map((record) => [record.id, recordTitleOf(target, record) ?? record.id.slice(0, 8)])),
  );
  const titleField = target ? titleFieldOf(target) : undefined;

  const first = useQuery({
    queryKey: ['records', target?.name, 'options'],
    enabled: Boolean(target),
    queryFn: ({ signal }) =>
      api.post<RecordPage>(`/records/${encodeURIComponent(target!.name)}/query`, { limit: 20, ...(titleField && target?.fields.find((f) => f.name === titleField)?.type !== 'formula' ? { sort: [titleField] } : {}) }, { signal }),
    staleTime: 30_000,
  });
  const found = useQuery({
    queryKey: ['search', debouncedSearch, [target?.name]],
    enabled: Boolean(target) && debouncedSearch.length > 0,
    queryFn: ({ signal }) => api.get<{ data: SearchHit[] }>('/search', { q: debouncedSearch, objects: target!.name, limit: 20 }, signal),
    staleTime: 10_000,
  });

  const selected = useMemo(() => (Array.isArray(value) ? value : value ? [value] : []), [value]);
  const seen = useMemo(() => {
    const titles = new Map<string, string>(Object.entries(known));
    for (const record of first.data?.data ?? []) titles.set(record.id, recordTitleOf(target, record) ?? record.id.slice(0, 8));
    for (const hit of found.data?.data ?? []) titles.set(hit.id, hit.label || hit.id.slice(0, 8));
    return titles;
  }, [known, first.data, found.data, target]);
  // A value set from elsewhere (a link from a related list) is named by reading its record.
  const unnamed = selected.find((id) => !seen.has(id));
  const named = useQuery({
    queryKey: ['records', target?.name, 'one', unnamed, []],
    enabled: Boolean(target && unnamed),
    queryFn: ({ signal }) => api.get<ApiRecord>(`/records/${encodeURIComponent(target!.name)}/${encodeURIComponent(unnamed!)}`, undefined, signal),
  });

  const options = useMemo(() => {
    const byId = new Map<string, string>();
    const nameOf = (id: string) => seen.get(id) ?? (named.data?.id === id ? recordTitleOf(target, named.data) : undefined) ?? id.slice(0, 8);
    for (const id of selected) byId.set(id, nameOf(id));
    // While a person types, the server's search decides what matches; otherwise the first records are offered.
    if (debouncedSearch) for (const hit of found.data?.data ?? []) byId.set(hit.id, nameOf(hit.id));
    else for (const record of first.data?.data ?? []) byId.set(record.id, nameOf(record.id));
    return [...byId].map(([id, title]): Option => ({ value: id, label: title }));
  }, [seen, named.data, selected, first.data, found.data, target, debouncedSearch]);

  const remember = (ids: string[]) => {
    const titles = Object.fromEntries(options.filter((option) => ids.includes(option.value)).map((option) => [option.value, option.label]));
    setKnown((previous) => ({ ...previous, ...titles }));
  };

  const common = {
    ...(isLabelHidden ? { 'aria-label': label } : { label }),
    description,
    required,
    error,
    data: options,
    searchable: true,
    searchValue: search,
    onSearchChange: setSearch,
    nothingFoundMessage: first.isLoading || found.isFetching ? t('common.loading') : t('form.noMatches'),
    filter: ({ options: all }: { options: unknown[] }) => all as never,
    placeholder: placeholder ?? t('form.searchPlaceholder'),
    comboboxProps: { withinPortal },
    disabled,
    ...(describedBy ? { 'aria-describedby': describedBy } : {}),
  };

  if (Array.isArray(value)) {
    return (
      <MultiSelect
        {...common}
        value={value}
        onChange={(ids) => {
          remember(ids);
          onChange(ids);
        }}
        clearable
      />
    );
  }
  return (
    <Select
      {...common}
      value={value || null}
      onChange={(id) => {
        if (id) remember([id]);
        onChange(id ?? '');
      }}
      clearable
    />
  );
};
