import { Alert, Badge, Button, Group, Stack, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus } from '@tabler/icons-react';
import type { SortingState } from '@tanstack/react-table';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { problemMessage } from '../../../api/problem-messages.ts';
import { useRecordPages } from '../../../api/queries.ts';
import { EmptyScreen, LoadingScreen, NotFoundScreen } from '../../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../../components/ui/use-document-title.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { ObjectIcon } from '../object-icon.tsx';
import { useLabels } from '../labels.ts';
import { includesOf, paths, tableFieldsOf } from '../metadata.ts';
import { useObjectRoute } from '../use-object-route.ts';
import { FilterBar } from './filter-bar.tsx';
import { buildFilter, parseRules, type FilterRule } from './filter-model.ts';
import { RecordTable } from './record-table.tsx';
import { groupFieldsOf } from '../kanban/kanban-model.ts';
import { ViewSwitch } from '../views/view-switch.tsx';
import { readStored, resolveViewMode, viewModeKey, writeStored, type ViewMode } from '../views/view-mode.ts';

const KanbanBoard = lazy(async () => ({ default: (await import('../kanban/kanban-board.tsx')).KanbanBoard }));

const toSorting = (sort: string | null): SortingState => (sort ? [{ id: sort.replace(/^-/, ''), desc: sort.startsWith('-') }] : []);

/** `/objects/:object`: the table view of any object, its filters and sort in the URL. */
export const RecordTablePage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const format = useFormat();
  const { object, objects, isLoading, objectName } = useObjectRoute();
  const [params, setParams] = useSearchParams();
  const rules = useMemo(() => parseRules(params.get('filter')), [params]);
  const sorting = useMemo(() => toSorting(params.get('sort')), [params]);
  const [quickSearch, setQuickSearch] = useState(params.get('q') ?? '');
  const [debouncedSearch] = useDebouncedValue(quickSearch, 300);

  const update = (changes: Record<string, string | null>) =>
    setParams(
      (previous) => {
        const next = new URLSearchParams(previous);
        for (const [key, value] of Object.entries(changes)) if (value) next.set(key, value); else next.delete(key);
        return next;
      },
      { replace: true },
    );

  useEffect(() => {
    // Only the debounced text drives the URL: the parameters it writes would otherwise re-run this.
    if ((params.get('q') ?? '') !== debouncedSearch.trim()) update({ q: debouncedSearch.trim() || null });
  }, [debouncedSearch]);

  // Another object: its own search box.
  useEffect(() => setQuickSearch(params.get('q') ?? ''), [objectName]);

  const filter = useMemo(() => (object ? buildFilter({ object, rules, quickSearch: params.get('q') ?? '' }) : undefined), [object, rules, params]);
  const include = useMemo(() => (object ? includesOf(tableFieldsOf(object)) : []), [object]);
  const sort = sorting.map((entry) => `${entry.desc ? '-' : ''}${entry.id}`);
  const pages = useRecordPages({ object: objectName, filter, sort, include, enabled: Boolean(object) });
  const records = useMemo(() => pages.data?.pages.flatMap((page) => page.data) ?? [], [pages.data]);
  const totalCount = pages.data?.pages[0]?.totalCount;
  const hasFilters = rules.length > 0 || Boolean(params.get('q'));
  // Table or kanban, remembered per object; the board's field too.
  const [storedModes, setStoredModes] = useState(0);
  const viewMode: ViewMode = object ? resolveViewMode(object, readStored(viewModeKey(object.name))) : 'table';
  const groupFields = useMemo(() => (object ? groupFieldsOf(object) : []), [object]);
  const storedGroup = object ? readStored(`${viewModeKey(object.name)}.groupBy`) : null;
  const groupField = groupFields.find((field) => field.name === storedGroup) ?? groupFields[0];
  const remember = (key: string, value: string) => {
    writeStored(key, value);
    setStoredModes((n) => n + 1);
  };
  void storedModes;
  useDocumentTitle(object ? labels.objectPlural(object) : undefined);

  if (isLoading) return <LoadingScreen />;
  if (!object) return <NotFoundScreen />;

  const plural = labels.objectPlural(object);
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Group gap="sm">
          <ObjectIcon object={object} />
          <Title order={1} size="h2" tabIndex={-1} data-page-title>
            {plural}
          </Title>
          {totalCount !== undefined ? (
            <Badge variant="light" color="gray" size="lg" aria-label={t('table.count', { count: totalCount, formatted: format.number(totalCount) })}>
              {format.number(totalCount)}
            </Badge>
          ) : null}
        </Group>
        <Group gap="sm">
          {groupFields.length > 0 ? <ViewSwitch value={viewMode} onChange={(mode) => remember(viewModeKey(object.name), mode)} /> : null}
          <Button component={Link} to={paths.create(object.name)} leftSection={<IconPlus size={16} aria-hidden />}>
            {t('table.new', { name: labels.objectSingular(object) })}
          </Button>
        </Group>
      </Group>
      <FilterBar
        object={object}
        rules={rules}
        onRulesChange={(next: FilterRule[]) => update({ filter: next.length ? JSON.stringify(next) : null })}
        quickSearch={quickSearch}
        onQuickSearchChange={setQuickSearch}
      />
      {pages.error ? (
        <Alert color="red" role="alert" title={t('table.loadFailed')}>
          {problemMessage(t, pages.error)}
        </Alert>
      ) : null}
      {pages.isLoading ? (
        <LoadingScreen />
      ) : records.length === 0 && !pages.error ? (
        hasFilters ? (
          <EmptyScreen
            title={t('table.noMatchTitle', { name: plural })}
            description={t('table.noMatchDescription')}
            action={
              <Button
                variant="default"
                onClick={() => {
                  setQuickSearch('');
                  update({ filter: null, q: null });
                }}
              >
                {t('filters.clearAll')}
              </Button>
            }
          />
        ) : (
          <EmptyScreen
            title={t('table.emptyTitle', { name: plural })}
            description={t('table.emptyDescription', { name: labels.objectSingular(object) })}
            action={
              <Button component={Link} to={paths.create(object.name)} leftSection={<IconPlus size={16} aria-hidden />}>
                {t('table.new', { name: labels.objectSingular(object) })}
              </Button>
            }
          />
        )
      ) : records.length > 0 && viewMode === 'kanban' && groupField ? (
        <Suspense fallback={<LoadingScreen />}>
          <KanbanBoard
            object={object}
            objects={objects}
            records={records}
            filter={filter}
            groupField={groupField}
            onGroupFieldChange={(name) => remember(`${viewModeKey(object.name)}.groupBy`, name)}
            hasNextPage={Boolean(pages.hasNextPage)}
            isFetchingNextPage={pages.isFetchingNextPage}
            fetchNextPage={() => void pages.fetchNextPage()}
          />
        </Suspense>
      ) : records.length > 0 ? (
        <RecordTable
          object={object}
          objects={objects}
          records={records}
          sorting={sorting}
          onSortingChange={(next) => update({ sort: next[0] ? `${next[0].desc ? '-' : ''}${next[0].id}` : null })}
          hasNextPage={Boolean(pages.hasNextPage)}
          isFetchingNextPage={pages.isFetchingNextPage}
          fetchNextPage={() => void pages.fetchNextPage()}
          resetKey={JSON.stringify([filter ?? null, sort])}
        />
      ) : null}
    </Stack>
  );
};
