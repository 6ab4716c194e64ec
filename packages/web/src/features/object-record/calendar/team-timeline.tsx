import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { ActionIcon, Menu, Select, Text, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import { IconUserShare } from '@tabler/icons-react';
import { useMemo, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { queryKeys, useObjects, useUsers } from '../../../api/queries.ts';
import { useLabels } from '../labels.ts';
import type { CalendarItem } from './calendar-model.ts';
import { lanesOfTeam, OPEN_TASKS_QUERY, openTasksByUser, patchOfDelegation, teamLanesOf, type TeamLane } from './team-model.ts';
import { useCalendarSave } from './use-calendar-save.ts';

export interface TeamTimelineProps {
  object: ObjectDefinition;
  /** The owner field a row stands for (a meeting's organiser, a task's assignee). */
  ownerField: FieldDefinition;
  items: readonly CalendarItem[];
  /** The horizon's days, local midnights. */
  days: readonly Date[];
  canDelegate: boolean;
  onOpen(item: CalendarItem): void;
}

const DRAG_TYPE = 'application/x-rapport-record';
/** Rows for everyone of a small team, so an item can be handed to someone with nothing booked yet. */
const ALL_MEMBERS_UP_TO = 30;

const ownerIdOf = (value: unknown): string | null => (typeof value === 'string' ? value : value && typeof value === 'object' && 'id' in value ? String((value as { id: unknown }).id) : null);

/**
 * The planner: one row per person, the horizon's days across, each item a bar placed by its time, and the hours
 * each person has booked per day. A bar dragged to another row (or "Delegate to…" from its menu, the keyboard's
 * way) hands the record to that person, saved with its version.
 */
export const TeamTimeline = ({ object, ownerField, items, days, canDelegate, onOpen }: TeamTimelineProps) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const users = useUsers();
  const { data: objects = [] } = useObjects();
  const save = useCalendarSave(object);
  // Filter by team (everyone may list them), and each person's open tasks beside their booked hours.
  const teams = useQuery({ queryKey: ['teams', 'planner'], queryFn: async ({ signal }) => (await api.get<{ data: { id: string; name: string; memberIds: string[] }[] }>('/teams', undefined, signal)).data, staleTime: 60_000 });
  const [teamId, setTeamId] = useState<string | null>(null);
  const canReadTasks = objects.some((candidate) => candidate.name === 'task' && candidate.fields.some((field) => field.name === 'assignee'));
  const openTasks = useQuery({
    // Under the tasks' key: a task done anywhere refreshes the counts.
    queryKey: [...queryKeys.records('task'), 'open-by-assignee'],
    queryFn: async ({ signal }) => openTasksByUser((await api.post<{ data: Record<string, unknown>[] }>('/records/task/aggregate', OPEN_TASKS_QUERY, { signal })).data),
    enabled: canReadTasks,
    staleTime: 30_000,
  });
  const [moves, setMoves] = useState<Map<string, string | null>>(new Map());
  const [dropTarget, setDropTarget] = useState<string | null | undefined>(undefined);
  const members = users.data ?? [];
  const nameOf = (id: string | null) => (id === null ? t('calendar.team.nobody') : (members.find((user) => user.id === id)?.name ?? members.find((user) => user.id === id)?.email ?? id));
  const ownerOf = (item: CalendarItem) => (moves.has(item.id) ? moves.get(item.id)! : ownerIdOf(item.record[ownerField.name]));
  const isDay = days.length === 1;
  const team = teams.data?.find((candidate) => candidate.id === teamId);
  const lanes = useMemo(
    () =>
      lanesOfTeam(
        // A chosen team shows all its members, whatever its size.
        teamLanesOf({ items, ownerOf, owners: team ? team.memberIds : members.length <= ALL_MEMBERS_UP_TO ? members.map((user) => user.id) : [], days, byDay: !isDay }),
        team?.memberIds,
      ),
    [items, moves, members, days, isDay, team],
  );
  const dayFormat = new Intl.DateTimeFormat(language, { weekday: 'short', day: 'numeric' });
  const hourFormat = new Intl.DateTimeFormat(language, { hour: 'numeric' });
  const timeFormat = new Intl.DateTimeFormat(language, { hour: 'numeric', minute: '2-digit' });
  const whenFormat = new Intl.DateTimeFormat(language, { weekday: 'short', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
  const hours = (value: number) => t('calendar.team.hours', { hours: new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value) });
  // The day horizon's columns are hours (every third labelled); the week's, days.
  const columns = isDay ? Array.from({ length: 8 }, (_, index) => new Date(days[0]!.getFullYear(), days[0]!.getMonth(), days[0]!.getDate(), index * 3)) : days;

  const delegate = async (item: CalendarItem, to: string | null) => {
    const patch = patchOfDelegation({ ownerField: ownerField.name, currentOwner: ownerOf(item), to });
    if (Object.keys(patch).length === 0) return;
    setMoves((previous) => new Map(previous).set(item.id, to));
    await save({ record: item.record, patch, name: item.title, done: t('calendar.team.delegated', { name: item.title, person: nameOf(to) }) });
    setMoves((previous) => {
      const next = new Map(previous);
      next.delete(item.id);
      return next;
    });
  };
  const onDrop = (lane: TeamLane) => (event: DragEvent) => {
    event.preventDefault();
    setDropTarget(undefined);
    const item = items.find((candidate) => candidate.id === event.dataTransfer.getData(DRAG_TYPE));
    if (item) void delegate(item, lane.ownerId);
  };

  return (
    <>
    {(teams.data?.length ?? 0) > 0 ? (
      <Select
        label={t('calendar.team.team')}
        placeholder={t('calendar.team.everyone')}
        data={(teams.data ?? []).map((candidate) => ({ value: candidate.id, label: candidate.name }))}
        value={teamId}
        onChange={setTeamId}
        clearable
        searchable
        maw={280}
        mb="xs"
      />
    ) : null}
    <div className="rapport-team" data-horizon={isDay ? 'day' : 'week'} role="table" aria-label={t('calendar.team.label', { name: labels.objectPlural(object), field: labels.field(object, ownerField) })}>
      <div className="rapport-team-row rapport-team-head" role="row">
        <div className="rapport-team-person" role="columnheader">
          {labels.field(object, ownerField)}
        </div>
        <div className="rapport-team-track rapport-team-scale" role="columnheader">
          {columns.map((column) => (
            <span key={column.getTime()} style={{ flex: 1 }}>
              {isDay ? hourFormat.format(column) : dayFormat.format(column)}
            </span>
          ))}
        </div>
      </div>
      {lanes.map((lane) => (
        <div
          key={lane.ownerId ?? 'nobody'}
          className="rapport-team-row"
          role="row"
          data-owner={lane.ownerId ?? ''}
          data-drop-target={dropTarget === lane.ownerId ? '' : undefined}
          onDragOver={canDelegate ? (event) => { event.preventDefault(); setDropTarget(lane.ownerId); } : undefined}
          onDragLeave={() => setDropTarget(undefined)}
          onDrop={canDelegate ? onDrop(lane) : undefined}
        >
          <div className="rapport-team-person" role="rowheader">
            <Text size="sm" fw={500} truncate>
              {nameOf(lane.ownerId)}
            </Text>
            <div className="rapport-team-hours">{t('calendar.team.booked', { hours: hours(lane.hoursByDay.reduce((sum, value) => sum + value, 0)) })}</div>
            {lane.ownerId !== null && openTasks.data ? (
              <div className="rapport-team-hours" data-open-tasks={openTasks.data.get(lane.ownerId) ?? 0}>
                {t('calendar.team.openTasks', { count: openTasks.data.get(lane.ownerId) ?? 0 })}
              </div>
            ) : null}
          </div>
          <div className="rapport-team-track" role="cell" style={{ minHeight: `calc(${lane.levels} * var(--bar-step) + ${isDay ? 0.5 : 1.5}rem)` }}>
            {columns.map((column, index) => (
              <span key={column.getTime()} className="rapport-team-gridline" style={{ left: `${(index / columns.length) * 100}%` }} aria-hidden />
            ))}
            {isDay
              ? null
              : lane.hoursByDay.map((value, index) =>
                  value > 0 ? (
                    <span key={days[index]!.getTime()} className="rapport-team-day-hours" data-busy={value >= 8 ? '' : undefined} style={{ left: `${(index / days.length) * 100}%`, width: `${100 / days.length}%` }}>
                      <VisuallyHidden>{`${dayFormat.format(days[index]!)}: `}</VisuallyHidden>
                      {hours(value)}
                    </span>
                  ) : null,
                )}
            {lane.bars.map(({ item, left, width, level }) => (
              <div
                key={item.id}
                className="rapport-team-bar"
                data-record-id={item.id}
                data-overdue={item.isOverdue ? '' : undefined}
                style={{ left: `${left * 100}%`, top: `calc(${level} * var(--bar-step) + 0.25rem)`, width: `max(calc(${width * 100}% - 4px), 6rem)`, ['--bar-color' as string]: `var(--mantine-color-${item.isOverdue ? 'red' : (item.color ?? 'blue')}-filled)` }}
                draggable={canDelegate}
                onDragStart={(event) => {
                  event.dataTransfer.setData(DRAG_TYPE, item.id);
                  event.dataTransfer.effectAllowed = 'move';
                }}
              >
                <button type="button" className="rapport-team-bar-open" title={item.title} onClick={() => onOpen(item)}>
                  <span className="rapport-team-bar-title">{item.title}</span>
                  {item.allDay ? null : <span className="rapport-team-bar-time">{timeFormat.format(item.start)}</span>}
                  <VisuallyHidden>{`, ${[whenFormat.formatRange(item.start, item.end ?? item.start), item.isOverdue ? t('calendar.overdue') : undefined].filter(Boolean).join(', ')}`}</VisuallyHidden>
                </button>
                {canDelegate ? (
                  <Menu position="bottom-end" withinPortal shadow="md">
                    <Menu.Target>
                      <ActionIcon size="xs" variant="subtle" color="gray" aria-label={t('calendar.team.delegateTo', { name: item.title })}>
                        <IconUserShare size={12} aria-hidden />
                      </ActionIcon>
                    </Menu.Target>
                    <Menu.Dropdown>
                      <Menu.Label>{t('calendar.team.delegate')}</Menu.Label>
                      {lanes.filter((other) => other.ownerId !== lane.ownerId && other.ownerId !== null).map((other) => (
                        <Menu.Item key={other.ownerId} onClick={() => void delegate(item, other.ownerId)}>
                          {nameOf(other.ownerId)}
                        </Menu.Item>
                      ))}
                    </Menu.Dropdown>
                  </Menu>
                ) : null}
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>
    </>
  );
};
