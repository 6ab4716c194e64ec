import { Alert, Badge, Button, Group, Select, Stack, Switch, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFileImport, IconLayoutList, IconPlus } from '@tabler/icons-react';
import type { QueryClient } from '@tanstack/react-query';
import type { SortingState } from '@tanstack/react-table';
import { lazy, memo, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { problemMessage } from '../../../api/problem-messages.ts';
import { prefetchRecordPages, useRecordPages } from '../../../api/queries.ts';
import { EmptyScreen, LoadingScreen, NotFoundScreen } from '../../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../../components/ui/use-document-title.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { ObjectIcon } from '../object-icon.tsx';
import { useLabels, useSentenceLabels } from '../labels.ts';
import { canOn, findObject, includesOf, longFieldsOf, paths, tableFieldsOf, titleFieldOf } from '../metadata.ts';
import { useObjectRoute } from '../use-object-route.ts';
import { ExportMenu } from './export-menu.tsx';
import { ImportMenu } from '../../imports/import-menu.tsx';
import { importPaths } from '../../imports/import-paths.ts';
import { DuplicatesLink } from '../../duplicates/duplicates-link.tsx';
import { TrashLink } from '../trash/trash-link.tsx';
import { NeedsAttentionButton } from '../../sales/needs-attention-button.tsx';
import { SegmentMenu } from '../../segments/segment-menu.tsx';
import { SegmentSelectionActions } from '../../segments/segment-selection-actions.tsx';
import { useSegments } from '../../segments/segments-api.ts';
import { FilterBar } from './filter-bar.tsx';
import { buildFilter, parseRules, type FilterItem } from './filter-model.ts';
import { groupableFieldsOf, totalFieldsOf } from './grouping-model.ts';
import { RecordTable } from './record-table.tsx';
import { useTableTotals } from './use-table-totals.ts';
import { boardScopeOf, groupFieldsOf, isRelationGroup, relatedIdOf, scopeConditionOf, withCondition } from '../kanban/kanban-model.ts';
import { prefetchBoardLookups, useBoardLookups } from '../kanban/use-board-lookups.ts';
import { ViewSwitch } from '../views/view-switch.tsx';
import { availableViewModes, calendarSettingsKey, cardFieldsKey, parseCardFields, readStored, resolveViewMode, viewModeKey, writeStored, type ViewMode } from '../views/view-mode.ts';
import { parseCalendarSettings, resolveCalendarSettings } from '../calendar/calendar-model.ts';
import { ViewMenu } from '../views/view-menu.tsx';
import { stateOfView, viewInputOf, type PageState } from '../views/view-state.ts';
import { useViews } from '../views/views-api.ts';
import { columnLayoutKey, hiddenColumnsKey, layoutOfColumns, orderColumns, parseColumnLayout, parseHiddenColumns } from './table-columns.ts';
import type { Filter, ObjectDefinition, SavedView, SavedViewInput, Segment } from '@rapport/common';
import { useStableCallback, useStableValue } from '../../../components/ui/stable.ts';

// The board's code is its own chunk, asked for as soon as the page knows it shows a board (before its records
// arrive), and used directly once here: a board then renders without a Suspense round.
let kanbanModule: typeof import('../kanban/kanban-board.tsx') | undefined;
const loadKanbanBoard = () => import('../kanban/kanban-board.tsx').then((module) => (kanbanModule = module));
const LazyKanbanBoard = lazy(async () => ({ default: (await loadKanbanBoard()).KanbanBoard }));
/** Loads the board's code ahead (app/route-modules.ts, when the browser is idle). */
export const preloadKanbanBoard = () => (kanbanModule ? Promise.resolve(kanbanModule) : loadKanbanBoard());
// The calendar (FullCalendar) is a chunk of its own too, asked for once the page knows it shows one.
let calendarModule: typeof import('../calendar/calendar-view.tsx') | undefined;
const loadCalendarView = () => import('../calendar/calendar-view.tsx').then((module) => (calendarModule = module));
const LazyCalendarView = lazy(async () => ({ default: (await loadCalendarView()).CalendarView }));

const withChanges = (previous: URLSearchParams, changes: Record<string, string | null>) => {
  const next = new URLSearchParams(previous);
  for (const [key, value] of Object.entries(changes)) if (value) next.set(key, value);
  else next.delete(key);
  return next;
};

/** The list's sort: the table's grouping field first, then the column sorted by (the page does the same). */
const listSortOf = (group: string | undefined, sort: string | null): string[] => [...(group ? [group] : []), ...(sort && sort.replace(/^-/, '') !== group ? [sort] : [])];

/**
 * A saved view's first page of records (and, for a board, its stages and pipelines), asked for when its link is
 * pressed: the page then finds them in the cache, or on their way, under the very keys it reads them with.
 * Nothing for a board whose pipeline the view does not name (the page picks the first one offered).
 */
export const prefetchView = (queryClient: QueryClient, view: SavedView, objects: readonly ObjectDefinition[]) => {
  const object = findObject(objects, view.object);
  // A calendar reads its own range, once it knows which.
  if (!object || view.type === 'calendar') return;
  const groupFields = groupFieldsOf(object, objects);
  const isBoard = view.type === 'kanban' && groupFields.length > 0;
  const groupField = isBoard ? (groupFields.find((field) => field.name === view.kanbanField) ?? groupFields[0]) : undefined;
  const scope = groupField && isRelationGroup(groupField) ? boardScopeOf(object, groupField, objects) : undefined;
  const state = stateOfView(view, scope?.field.name);
  if (groupField && isRelationGroup(groupField)) prefetchBoardLookups(queryClient, groupField, scope);
  if (scope && !state.scope) return;
  const filter = buildFilter({ object, rules: state.rules, match: state.match, quickSearch: '' });
  const group = groupableFieldsOf(object).find((field) => field.name === state.groupBy)?.name;
  void prefetchRecordPages(queryClient, {
    object: object.name,
    filter: scope && state.scope ? withCondition(filter, scopeConditionOf(scope, state.scope.id)) : filter,
    sort: listSortOf(group, state.sort),
    include: includesOf(tableFieldsOf(object)),
    segment: undefined,
  });
};

const toSorting = (sort: string | null): SortingState => (sort ? [{ id: sort.replace(/^-/, ''), desc: sort.startsWith('-') }] : []);

/** `/objects/:object`: the table view of any object, its filters and sort in the URL. */
export const RecordTablePage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const sentence = useSentenceLabels();
  const format = useFormat();
  const { object, objects, isLoading, objectName } = useObjectRoute();
  const [routerParams, setParams] = useSearchParams();
  // A view applied shows its parameters at once: the router's navigation to them (a render of the whole app) ends a
  // moment later with the same ones. Until then `viewParams` holds them, with the URL they replace.
  const viewParams = useRef<{ from: string; params: URLSearchParams } | null>(null);
  if (viewParams.current && routerParams.toString() !== viewParams.current.from) viewParams.current = null;
  const params = viewParams.current?.params ?? routerParams;
  const rules = useMemo(() => parseRules(params.get('filter')), [params]);
  const match = params.get('match') === 'or' ? 'or' : 'and';
  const views = useViews();
  const objectViews = useMemo(() => (views.data ?? []).filter((view) => view.object === objectName), [views.data, objectName]);
  const currentView = objectViews.find((view) => view.id === params.get('view'));
  // `?segment=<id>`: the table lists that segment's records (its filter or members), the page's own filters on top.
  const segments = useSegments();
  const objectSegments = useMemo(() => (segments.data ?? []).filter((segment) => segment.object === objectName), [segments.data, objectName]);
  const currentSegment = objectSegments.find((segment) => segment.id === params.get('segment'));
  const segment = params.get('segment') ?? undefined;
  const sorting = useMemo(() => toSorting(params.get('sort')), [params]);
  const [quickSearch, setQuickSearch] = useState(params.get('q') ?? '');
  const [debouncedSearch] = useDebouncedValue(quickSearch, 300);

  const update = (changes: Record<string, string | null>) => setParams((previous) => withChanges(previous, changes), { replace: true });

  useEffect(() => {
    // Only the debounced text drives the URL: the parameters it writes would otherwise re-run this.
    if ((params.get('q') ?? '') !== debouncedSearch.trim()) update({ q: debouncedSearch.trim() || null });
  }, [debouncedSearch]);

  // Another object: its own search box.
  useEffect(() => setQuickSearch(params.get('q') ?? ''), [objectName]);

  const filter = useMemo(() => (object ? buildFilter({ object, rules, match, quickSearch: params.get('q') ?? '' }) : undefined), [object, rules, match, params]);
  const include = useMemo(() => (object ? includesOf(tableFieldsOf(object)) : []), [object]);
  const groupableFields = useMemo(() => (object ? groupableFieldsOf(object) : []), [object]);
  const tableGroup = groupableFields.find((field) => field.name === params.get('group'));
  // Grouped rows come sorted by the group first: each group is one run, page after page.
  const sort = listSortOf(tableGroup?.name, sorting[0] ? `${sorting[0].desc ? '-' : ''}${sorting[0].id}` : null);
  const totalFields = useMemo(() => (object ? totalFieldsOf(object) : []), [object]);
  const [showTotals, setShowTotals] = useState(() => readStored('rapport.table.totals') !== 'off');
  // Table or kanban, remembered per object; the board's field too.
  const [storedModes, setStoredModes] = useState(0);
  const viewMode: ViewMode = object ? resolveViewMode(object, readStored(viewModeKey(object.name)), objects) : 'table';
  const groupFields = useMemo(() => (object ? groupFieldsOf(object, objects) : []), [object, objects]);
  const viewModes = useMemo(() => (object ? availableViewModes(object, objects) : []), [object, objects]);
  const storedCalendar = object ? readStored(calendarSettingsKey(object.name)) : null;
  const calendarSettings = useMemo(() => (object ? resolveCalendarSettings(object, parseCalendarSettings(storedCalendar)) : undefined), [object, storedCalendar]);
  const storedGroup = object ? readStored(`${viewModeKey(object.name)}.groupBy`) : null;
  const groupField = groupFields.find((field) => field.name === storedGroup) ?? groupFields[0];
  const remember = (key: string, value: string) => {
    writeStored(key, value);
    setStoredModes((n) => n + 1);
  };
  void storedModes;
  // A board grouped by a relation whose records belong to a parent (stages of a pipeline) shows one parent
  // at a time (`?pipeline=<id>`, the first by default): the list and its totals hold only its records.
  const scopeParam = object && groupField ? boardScopeOf(object, groupField, objects)?.field.name : undefined;
  const board = useBoardLookups({ object, objects, groupField, requested: scopeParam ? params.get(scopeParam) : null, enabled: viewMode === 'kanban' });
  const listFilter = useMemo(() => (viewMode === 'kanban' && board.listCondition ? withCondition(filter, board.listCondition) : filter), [viewMode, board.listCondition, filter]);
  // A link to a saved view (`?view=<id>`) is applied by an effect after the first render: nothing is read for the page
  // as it was before (the remembered mode and filters) until then.
  const appliedView = useRef<string | null>(null);
  const viewStateKeys = ['filter', 'sort', 'group', 'match', 'q', ...(scopeParam ? [scopeParam] : [])];
  const hasOwnViewState = viewStateKeys.some((key) => params.has(key));
  const isViewPending = params.has('view') && params.get('view') !== appliedView.current && !hasOwnViewState && (views.isLoading || Boolean(currentView));
  // A calendar reads the records of the range it shows (`calendar/use-calendar-records.ts`), not this list.
  const pages = useRecordPages({ object: objectName, filter: listFilter, sort, include, segment, enabled: Boolean(object) && !isViewPending && viewMode !== 'calendar' && (viewMode !== 'kanban' || board.isListReady) });
  const isListLoading = pages.isLoading || isViewPending;
  const isBoardNext = viewMode === 'kanban' || currentView?.type === 'kanban';
  useEffect(() => {
    if (isBoardNext && !kanbanModule) void loadKanbanBoard();
  }, [isBoardNext]);
  const KanbanBoard = kanbanModule?.KanbanBoard ?? LazyKanbanBoard;
  const isCalendarNext = viewMode === 'calendar' || currentView?.type === 'calendar';
  useEffect(() => {
    if (isCalendarNext && !calendarModule) void loadCalendarView();
  }, [isCalendarNext]);
  const CalendarView = calendarModule?.CalendarView ?? LazyCalendarView;
  // While another pipeline's records load, the previous ones (kept on screen) are left out of its board.
  const records = useMemo(() => {
    const all = pages.data?.pages.flatMap((page) => page.data) ?? [];
    return viewMode === 'kanban' && scopeParam && board.condition ? all.filter((record) => relatedIdOf(record[scopeParam]) === board.selectedScope) : all;
  }, [pages.data, viewMode, scopeParam, board.condition, board.selectedScope]);
  const totalCount = viewMode === 'calendar' ? undefined : pages.data?.pages[0]?.totalCount;
  const { totals, groupTotals } = useTableTotals({ object: objectName, filter, segment, fields: totalFields, groupBy: tableGroup?.name, enabled: Boolean(object) && !isViewPending && viewMode === 'table' && (showTotals || Boolean(tableGroup)) });
  const hasFilters = rules.length > 0 || Boolean(params.get('q')) || Boolean(segment);
  const groupBy = params.get('group');
  // As stored now: the table re-reads its columns when these change (a view applied after it mounted).
  const storedHidden = object ? readStored(hiddenColumnsKey(object.name)) : null;
  const storedLayout = object ? readStored(columnLayoutKey(object.name)) : null;
  const hiddenColumns = Object.keys(parseHiddenColumns(storedHidden, object ? longFieldsOf(object).map((field) => field.name) : []));
  const columnLayout = parseColumnLayout(storedLayout);
  const pageState: PageState = { rules, match, sort: params.get('sort'), mode: viewMode, kanbanField: groupField?.name ?? null, cardFields: object ? parseCardFields(readStored(cardFieldsKey(object.name))) : null, groupBy, hiddenColumns, columnWidths: columnLayout.widths, scope: scopeParam && board.selectedScope ? { field: scopeParam, id: board.selectedScope } : null, calendar: calendarSettings ?? null };
  const titleName = object ? titleFieldOf(object) : undefined;
  const defaultColumnOrder = object ? [...(titleName ? [titleName] : []), ...[...tableFieldsOf(object), ...longFieldsOf(object)].map((field) => field.name).filter((name) => name !== titleName)] : [];
  const columnOrder = orderColumns(defaultColumnOrder, columnLayout.order);
  const viewInput = object ? viewInputOf(object, pageState, columnOrder) : {};
  // A view shows its filter, sort, grouping, columns and mode; "all records" the defaults. Its mode, board and
  // columns are stored (localStorage); the rest are the URL's parameters it returns, used at once through
  // `viewParams` while the router navigates to them.
  const storeView = (view: SavedView | undefined): Record<string, string | null> => {
    if (!object) return {};
    // The scope of the view's board (the pipeline it shows) is a condition of its filter.
    const viewGroup = groupFields.find((field) => field.name === view?.kanbanField) ?? groupField;
    const viewScope = view && viewGroup ? boardScopeOf(object, viewGroup, objects)?.field.name : undefined;
    const state = view ? stateOfView(view, viewScope) : undefined;
    writeStored(viewModeKey(object.name), state?.mode ?? 'table');
    if (state?.kanbanField) writeStored(`${viewModeKey(object.name)}.groupBy`, state.kanbanField);
    writeStored(cardFieldsKey(object.name), state?.cardFields ? JSON.stringify(state.cardFields) : null);
    writeStored(calendarSettingsKey(object.name), state?.calendar ? JSON.stringify(state.calendar) : null);
    // Without a view, the table's own default: long bodies hidden, every other column shown.
    writeStored(hiddenColumnsKey(object.name), JSON.stringify(state?.hiddenColumns ?? longFieldsOf(object).map((field) => field.name)));
    writeStored(columnLayoutKey(object.name), view ? JSON.stringify(layoutOfColumns(view.columns)) : null);
    const changes = {
      view: view?.id ?? null,
      filter: state && state.rules.length > 0 ? JSON.stringify(state.rules) : null,
      match: state?.match === 'or' ? 'or' : null,
      sort: state?.sort ?? null,
      group: state?.groupBy ?? null,
      q: null,
      ...(scopeParam ? { [scopeParam]: null } : {}),
      ...(viewScope ? { [viewScope]: state?.scope?.id ?? null } : {}),
    };
    const next = withChanges(routerParams, changes);
    viewParams.current = next.toString() === routerParams.toString() ? null : { from: routerParams.toString(), params: next };
    return changes;
  };
  const applyView = (view: SavedView | undefined) => {
    appliedView.current = view?.id ?? null;
    const changes = storeView(view);
    setStoredModes((n) => n + 1);
    setQuickSearch('');
    update(changes);
  };
  // A link to `?view=<id>` alone (navigation, favourites) shows the view as saved; a URL with its own
  // filter or sort (a reload after changes) keeps them. Nothing is read for the page until then (`isViewPending`).
  useEffect(() => {
    const id = params.get('view');
    if (!currentView || id === appliedView.current) return;
    appliedView.current = id;
    if (!hasOwnViewState) applyView(currentView);
  }, [currentView, params]);
  useDocumentTitle(object ? labels.objectPlural(object) : undefined);
  // The toolbar and the filter bar render again only when what they show changes, not each time a query of the page
  // settles (a page, a total, a lookup): each of their menus is costly to render.
  const onSelectView = useStableCallback(applyView);
  const onSelectSegment = useStableCallback((chosen: Segment | undefined) => update({ segment: chosen?.id ?? null }));
  const onViewModeChange = useStableCallback((mode: ViewMode) => object && remember(viewModeKey(object.name), mode));
  const onRulesChange = useStableCallback((next: FilterItem[], nextMatch: 'and' | 'or' = match) => update({ filter: next.length ? JSON.stringify(next) : null, match: nextMatch === 'or' && next.length > 0 ? 'or' : null }));
  const stableViewInput = useStableValue(viewInput);
  const stableDefaultColumns = useStableValue(defaultColumnOrder);
  const exportQuery = useStableValue({ filter: listFilter, segment, sort, columnOrder, hiddenColumns });

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
          <NeedsAttentionButton object={object} />
        </Group>
        <ObjectToolbar
          object={object}
          views={objectViews}
          currentView={currentView}
          viewInput={stableViewInput}
          defaultColumns={stableDefaultColumns}
          onSelectView={onSelectView}
          segments={objectSegments}
          currentSegment={currentSegment}
          filter={filter}
          onSelectSegment={onSelectSegment}
          viewMode={viewModes.length > 1 ? viewMode : undefined}
          viewModes={viewModes}
          onViewModeChange={onViewModeChange}
          exportQuery={exportQuery}
        />
      </Group>
      <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
        <MemoFilterBar object={object} rules={rules} match={match} onRulesChange={onRulesChange} quickSearch={quickSearch} onQuickSearchChange={setQuickSearch} />
        {viewMode === 'table' ? (
          <Group gap="md" wrap="nowrap">
            <Select
              aria-label={t('savedViews.groupBy')}
              leftSection={<IconLayoutList size={16} aria-hidden />}
              w={210}
              placeholder={t('savedViews.groupBy')}
              data={groupableFields.map((field) => ({ value: field.name, label: labels.field(object, field) }))}
              value={tableGroup?.name ?? null}
              onChange={(name) => update({ group: name })}
              clearable
            />
            {totalFields.length > 0 ? (
              <Switch
                label={t('savedViews.showTotals')}
                checked={showTotals}
                onChange={(event) => {
                  const isOn = event.currentTarget.checked;
                  writeStored('rapport.table.totals', isOn ? null : 'off');
                  setShowTotals(isOn);
                }}
              />
            ) : null}
          </Group>
        ) : null}
      </Group>
      {pages.error ? (
        <Alert color="red" role="alert" title={t('table.loadFailed')}>
          {problemMessage(t, pages.error)}
        </Alert>
      ) : null}
      {viewMode === 'calendar' && calendarSettings && !isViewPending ? (
        <Suspense fallback={<LoadingScreen />}>
          <CalendarView
            object={object}
            objects={objects}
            filter={filter}
            segment={segment}
            settings={calendarSettings}
            onSettingsChange={(next) => remember(calendarSettingsKey(object.name), JSON.stringify(next))}
          />
        </Suspense>
      ) : isViewPending || ((isListLoading || !board.isReady) && viewMode !== 'table') ? (
        <LoadingScreen />
      ) : records.length === 0 && !isListLoading && !pages.error && !(viewMode === 'kanban' && board.scope) ? (
        hasFilters ? (
          <EmptyScreen
            title={t('table.noMatchTitle', { name: sentence.objectPlural(object) })}
            description={t('table.noMatchDescription')}
            action={
              <Button
                variant="default"
                onClick={() => {
                  setQuickSearch('');
                  update({ filter: null, match: null, q: null, segment: null });
                }}
              >
                {t('filters.clearAll')}
              </Button>
            }
          />
        ) : (
          <EmptyScreen
            title={t('table.emptyTitle', { name: sentence.objectPlural(object) })}
            description={t('table.emptyDescription', { name: sentence.objectSingular(object) })}
            action={
              canOn(object, 'create') ? (
                <Group gap="sm">
                  <Button component={Link} to={paths.create(object.name)} leftSection={<IconPlus size={16} aria-hidden />}>
                    {t('table.new', { name: labels.objectSingular(object) })}
                  </Button>
                  {canOn(object, 'import') ? (
                    <Button component={Link} to={importPaths.wizard(object.name)} variant="default" leftSection={<IconFileImport size={16} aria-hidden />}>
                      {t('imports.menu.fromFile')}
                    </Button>
                  ) : null}
                </Group>
              ) : undefined
            }
          />
        )
      ) : (records.length > 0 || board.scope) && viewMode === 'kanban' && groupField ? (
        <Suspense fallback={<LoadingScreen />}>
          <KanbanBoard
            object={object}
            objects={objects}
            records={records}
            filter={listFilter}
            segment={segment}
            groupField={groupField}
            onGroupFieldChange={(name) => remember(`${viewModeKey(object.name)}.groupBy`, name)}
            cardFields={pageState.cardFields} onCardFieldsChange={(fields) => remember(cardFieldsKey(object.name), JSON.stringify(fields))}
            hasNextPage={Boolean(pages.hasNextPage)}
            isFetchingNextPage={pages.isFetchingNextPage}
            fetchNextPage={() => void pages.fetchNextPage()}
            targets={board.targets}
            scope={board.scope ? { field: board.scope.field.name, object: board.scope.object, options: board.scopeOptions, selected: board.selectedScope, onChange: (id) => scopeParam && update({ [scopeParam]: id }) } : undefined}
          />
        </Suspense>
      ) : records.length > 0 || isListLoading ? (
        // While the first page loads, the table is there without rows: its answer then only adds the rows.
        <RecordTable
          isLoading={isListLoading}
          key={currentView?.id ?? 'all'}
          onColumnsChange={() => setStoredModes((n) => n + 1)}
          storedLayout={storedLayout}
          storedHidden={storedHidden}
          groupBy={tableGroup}
          groupTotals={groupTotals}
          totals={showTotals && totals && totalFields.length > 0 ? { totals, fields: totalFields } : undefined}
          object={object}
          objects={objects}
          records={records}
          sorting={sorting}
          onSortingChange={(next) => update({ sort: next[0] ? `${next[0].desc ? '-' : ''}${next[0].id}` : null })}
          hasNextPage={Boolean(pages.hasNextPage)}
          isFetchingNextPage={pages.isFetchingNextPage}
          fetchNextPage={() => void pages.fetchNextPage()}
          resetKey={JSON.stringify([filter ?? null, sort, segment ?? null])}
          selectionActions={(ids, deselect) => <SegmentSelectionActions object={object} ids={ids} current={currentSegment} onRemoved={deselect} />}
        />
      ) : null}
    </Stack>
  );
};

const MemoFilterBar = memo(FilterBar);

interface ObjectToolbarProps {
  object: ObjectDefinition;
  views: SavedView[];
  currentView: SavedView | undefined;
  viewInput: SavedViewInput;
  defaultColumns: string[];
  onSelectView(view: SavedView | undefined): void;
  segments: Segment[];
  currentSegment: Segment | undefined;
  filter: Filter | undefined;
  onSelectSegment(segment: Segment | undefined): void;
  /** Table, board or calendar; absent for an object with a table only. */
  viewMode: ViewMode | undefined;
  viewModes: readonly ViewMode[];
  onViewModeChange(mode: ViewMode): void;
  /** What an export holds: the records listed, in the columns shown. */
  exportQuery: { filter: Filter | undefined; segment: string | undefined; sort: string[]; columnOrder: string[]; hiddenColumns: string[] };
}

/** The object page's actions: views, segments, table, board or calendar, import, duplicates, trash, export, new record. */
const ObjectToolbar = memo(({ object, views, currentView, viewInput, defaultColumns, onSelectView, segments, currentSegment, filter, onSelectSegment, viewMode, viewModes, onViewModeChange, exportQuery }: ObjectToolbarProps) => {
  const { t } = useTranslation();
  const labels = useLabels();
  return (
    <Group gap="sm">
      <ViewMenu object={object} views={views} current={currentView} input={viewInput} defaultColumns={defaultColumns} onSelect={onSelectView} />
      <SegmentMenu object={object} segments={segments} current={currentSegment} filter={filter} onSelect={onSelectSegment} />
      {viewMode ? <ViewSwitch value={viewMode} modes={viewModes} onChange={onViewModeChange} /> : null}
      {canOn(object, 'import') && canOn(object, 'create') ? <ImportMenu object={object} /> : null}
      <DuplicatesLink object={object} />
      <TrashLink object={object} />
      {canOn(object, 'export') ? <ExportMenu object={object} filter={exportQuery.filter} segment={exportQuery.segment} sort={exportQuery.sort} columnOrder={exportQuery.columnOrder} hiddenColumns={exportQuery.hiddenColumns} /> : null}
      {canOn(object, 'create') ? (
        <Button component={Link} to={paths.create(object.name)} leftSection={<IconPlus size={16} aria-hidden />}>
          {t('table.new', { name: labels.objectSingular(object) })}
        </Button>
      ) : null}
    </Group>
  );
});
ObjectToolbar.displayName = 'ObjectToolbar';
