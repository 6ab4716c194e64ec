import { Loader, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Spotlight } from '@mantine/spotlight';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { problemMessage } from '../../api/problem-messages.ts';
import { useObjects, useSearch } from '../../api/queries.ts';
import { objectIconOf } from '../object-record/object-icon.tsx';
import { useLabels } from '../object-record/labels.ts';
import { findObject, paths } from '../object-record/metadata.ts';

const normalize = (text: string) => text.toLocaleLowerCase().normalize('NFD').replace(/\p{Diacritic}/gu, '');

/** Ctrl/Cmd-K: jump to any object or record (global search), or start a new record. */
export const CommandPalette = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 200);
  const { data: objects = [] } = useObjects();
  const search = useSearch(debounced);
  const q = normalize(query.trim());

  const matchingObjects = objects.filter((object) => !q || normalize(labels.objectPlural(object)).includes(q) || normalize(labels.objectSingular(object)).includes(q) || object.name.toLowerCase().includes(q));
  const hits = debounced ? (search.data ?? []) : [];
  const go = (to: string) => void navigate(to);

  return (
    <Spotlight.Root query={query} onQueryChange={setQuery} shortcut={['mod + K']} scrollable maxHeight={460} tagsToIgnore={[]}>
      <Spotlight.Search
        placeholder={t('search.placeholder')}
        aria-label={t('search.placeholder')}
        leftSection={search.isFetching ? <Loader size={16} aria-label={t('common.loading')} /> : <IconSearch size={18} aria-hidden />}
      />
      <Spotlight.ActionsList aria-label={t('search.results')}>
        {hits.length > 0 ? (
          <Spotlight.ActionsGroup label={t('search.records')}>
            {hits.map((hit) => {
              const object = findObject(objects, hit.object);
              const Icon = object ? objectIconOf(object) : IconSearch;
              return (
                <Spotlight.Action
                  key={`${hit.object}:${hit.id}`}
                  label={hit.label || hit.id.slice(0, 8)}
                  description={object ? labels.objectSingular(object) : hit.object}
                  leftSection={<Icon size={18} aria-hidden />}
                  onClick={() => go(paths.record(hit.object, hit.id))}
                />
              );
            })}
          </Spotlight.ActionsGroup>
        ) : null}
        {matchingObjects.length > 0 ? (
          <Spotlight.ActionsGroup label={t('search.objects')}>
            {matchingObjects.map((object) => {
              const Icon = objectIconOf(object);
              return (
                <Spotlight.Action
                  key={`open:${object.name}`}
                  label={labels.objectPlural(object)}
                  description={t('search.openTable')}
                  leftSection={<Icon size={18} aria-hidden />}
                  onClick={() => go(paths.list(object.name))}
                />
              );
            })}
          </Spotlight.ActionsGroup>
        ) : null}
        {q && matchingObjects.length > 0 ? (
          <Spotlight.ActionsGroup label={t('search.actions')}>
            {matchingObjects.map((object) => (
              <Spotlight.Action
                key={`new:${object.name}`}
                label={t('table.new', { name: labels.objectSingular(object) })}
                leftSection={<IconPlus size={18} aria-hidden />}
                onClick={() => go(paths.create(object.name))}
              />
            ))}
          </Spotlight.ActionsGroup>
        ) : null}
        {search.error ? (
          <Text size="sm" c="red" p="sm" role="alert">
            {problemMessage(t, search.error)}
          </Text>
        ) : null}
        {hits.length === 0 && matchingObjects.length === 0 && !search.isFetching ? <Spotlight.Empty>{t('search.nothingFound', { query: query.trim() })}</Spotlight.Empty> : null}
      </Spotlight.ActionsList>
    </Spotlight.Root>
  );
};
