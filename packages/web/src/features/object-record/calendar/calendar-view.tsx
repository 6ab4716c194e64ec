import type { CalendarMode, CalendarSettings, Filter, ObjectDefinition } from '@rapport/common';
import type { DatesSetArg, DayCellMountArg, EventClickArg, EventContentArg, EventDropArg, EventInput, EventMountArg } from '@fullcalendar/core';
import dayGridPlugin from '@fullcalendar/daygrid';
import interactionPlugin, { type EventResizeDoneArg } from '@fullcalendar/interaction';
import listPlugin from '@fullcalendar/list';
import FullCalendar from '@fullcalendar/react';
import timeGridPlugin from '@fullcalendar/timegrid';
import { Alert, Box, LoadingOverlay, Text, VisuallyHidden } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { problemMessage } from '../../../api/problem-messages.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { useLabels, useSentenceLabels } from '../labels.ts';
import { canOn, formFieldsOf, paths, recordTitleOf } from '../metadata.ts';
import { addLocalDays, firstDayOfWeek, localDaysBetween, startOfLocalDay } from './calendar-days.ts';
import { keyboardChangeOf, keyShortcutsOf, layoutOf, type KeyboardChange } from './calendar-keyboard.ts';
import { canResize, itemsOf, ownerFieldOf, patchOfChange, valuesOfSlot, type CalendarItem, type VisibleRange } from './calendar-model.ts';
import { CalendarToolbar, type TeamHorizon } from './calendar-toolbar.tsx';
import { CreateRecordModal } from './create-record-modal.tsx';
import { TeamTimeline } from './team-timeline.tsx';
import { useCalendarRecords } from './use-calendar-records.ts';
import { useCalendarSave } from './use-calendar-save.ts';
import './calendar.css';

export interface CalendarViewProps {
  object: ObjectDefinition;
  objects: readonly ObjectDefinition[];
  /** The page's filter (rules and quick search); the visible range is added to it. */
  filter: Filter | undefined;
  segment: string | undefined;
  settings: CalendarSettings;
  onSettingsChange(settings: CalendarSettings): void;
}

/** FullCalendar's view for each mode: a date field's records are whole days, so its week and day are day grids. */
const fullCalendarViewOf = (mode: CalendarMode, isDate: boolean) =>
  ({ month: 'dayGridMonth', week: isDate ? 'dayGridWeek' : 'timeGridWeek', day: isDate ? 'dayGridDay' : 'timeGridDay', agenda: 'listMonth', team: 'timeGridWeek' })[mode];

/** The planner's horizon: the day shown, or the week it falls in (starting per language). */
const teamRangeOf = (anchor: Date, horizon: TeamHorizon, firstDay: number): VisibleRange => {
  const day = startOfLocalDay(anchor);
  if (horizon === 'day') return { start: day, end: addLocalDays(day, 1) };
  const start = addLocalDays(day, -((day.getDay() - firstDay + 7) % 7));
  return { start, end: addLocalDays(start, 7) };
};

/** A move made from the keyboard and not saved yet: shown at once, saved once the keys stop (KEYBOARD_SAVE_DELAY_MS). */
interface PendingMove {
  item: CalendarItem;
  start: Date;
  end: Date | undefined;
  kind: KeyboardChange['kind'];
  /** Raised at each key press: a save finishing for an older press leaves the newer one pending. */
  seq: number;
}

/** How long after the last Alt+arrow a keyboard move is saved: a few presses make one save, with one version. */
const KEYBOARD_SAVE_DELAY_MS = 800;
const KEYBOARD_HELP_ID = 'rapport-calendar-keyboard-help';

/** `/objects/:object` as a calendar: the records of the range shown, placed by the view's date fields. */
export const CalendarView = ({ object, objects, filter, segment, settings, onSettingsChange }: CalendarViewProps) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const sentence = useSentenceLabels();
  const navigate = useNavigate();
  const language = i18n.resolvedLanguage ?? i18n.language;
  const firstDay = useMemo(() => firstDayOfWeek(language), [language]);
  const calendarRef = useRef<FullCalendar>(null);
  const [fullCalendarRange, setFullCalendarRange] = useState<VisibleRange>();
  const [title, setTitle] = useState('');
  // The day the person looks at, kept across modes (FullCalendar's current date, or the planner's).
  const [anchor, setAnchor] = useState(() => new Date());
  const [horizon, setHorizon] = useState<TeamHorizon>('week');
  const [slot, setSlot] = useState<Record<string, unknown>>();
  const startField = object.fields.find((field) => field.name === settings.startField);
  const isDate = startField?.type === 'date';
  const ownerField = ownerFieldOf(object);
  const canTeam = Boolean(ownerField) && !isDate;
  const mode: CalendarMode = settings.mode === 'team' && !canTeam ? 'week' : settings.mode;
  const isTeam = mode === 'team';
  const teamRange = useMemo(() => teamRangeOf(anchor, horizon, firstDay), [anchor, horizon, firstDay]);
  const range = isTeam ? teamRange : fullCalendarRange;
  const list = useCalendarRecords({ object, settings, filter, segment, range });
  const save = useCalendarSave(object);

  const editable = useMemo(() => new Set(canOn(object, 'update') ? formFieldsOf(object).map((field) => field.name) : []), [object]);
  const canMove = editable.has(settings.startField);
  const canCreate = canOn(object, 'create');
  const titleOf = (record: ApiRecord) => recordTitleOf(object, record) ?? t('fieldValue.untitled');
  const items = useMemo(() => itemsOf({ object, settings, records: list.records, titleOf, now: new Date() }), [object, settings, list.records, t]);
  const canResizeItems = canMove && canResize(settings, editable);
  // Keyboard moves not saved yet (by record id), shown in place of the stored times.
  const [pending, setPending] = useState<ReadonlyMap<string, PendingMove>>(() => new Map());
  const pendingRef = useRef(pending);
  pendingRef.current = pending;
  const itemsRef = useRef(items);
  itemsRef.current = items;
  const saveTimers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const savingIds = useRef(new Set<string>());
  // The item moved from the keyboard keeps the focus when FullCalendar draws it anew (another day's column).
  const keyboardFocusId = useRef<string | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const choiceLabel = (item: CalendarItem) => {
    const field = object.fields.find((candidate) => candidate.name === settings.colorField);
    const choice = field?.options?.choices?.find((candidate) => candidate.value === item.choice);
    return field && choice ? labels.choice(object, field, choice) : undefined;
  };
  const events = useMemo<EventInput[]>(
    () =>
      [
        ...items.map((item) => {
          const moved = pending.get(item.id);
          return moved ? { ...item, start: moved.start, end: moved.end } : item;
        }),
        // Moved out of the range read (to another week): shown where it goes until it is saved and read again.
        ...[...pending.values()].filter((move) => !items.some((item) => item.id === move.item.id)).map((move) => ({ ...move.item, start: move.start, end: move.end })),
      ].map((item) => {
        const color = item.isOverdue ? 'red' : (item.color ?? 'blue');
        return {
          id: item.id,
          title: item.title,
          start: item.start,
          ...(item.end ? { end: item.end } : {}),
          allDay: item.allDay,
          backgroundColor: `var(--mantine-color-${color}-light)`,
          borderColor: `var(--mantine-color-${color}-filled)`,
          textColor: `var(--mantine-color-${color}-light-color)`,
          classNames: item.isOverdue ? ['rapport-calendar-overdue'] : [],
          extendedProps: { item },
        };
      }),
    [items, pending],
  );

  const api = () => calendarRef.current?.getApi();
  const onNavigate = (step: 'today' | 'prev' | 'next') => {
    if (isTeam) {
      const days = horizon === 'day' ? 1 : 7;
      setAnchor((current) => (step === 'today' ? new Date() : addLocalDays(current, step === 'prev' ? -days : days)));
      return;
    }
    api()?.[step]();
  };
  const onModeChange = (next: CalendarMode) => onSettingsChange({ ...settings, mode: next });
  // The mode comes from the settings (the switch, or a saved view applied): FullCalendar follows, on the same date.
  useEffect(() => {
    const calendar = api();
    const type = fullCalendarViewOf(mode, isDate);
    if (calendar && !isTeam && calendar.view.type !== type) calendar.changeView(type, calendar.getDate());
  }, [mode, isDate, isTeam]);
  const onDatesSet = (info: DatesSetArg) => {
    setFullCalendarRange({ start: info.start, end: info.end });
    setTitle(info.view.title);
    // The calendar's own date (today, until the person moves), not the first day shown: a week from 29 November
    // that holds today, 2 December, opens December's month.
    setAnchor(info.view.calendar.getDate());
  };
  const onChange = async (info: EventDropArg | EventResizeDoneArg, kind: 'moved' | 'resized') => {
    const item = info.event.extendedProps.item as CalendarItem;
    const start = info.event.start;
    if (!start) return info.revert();
    const patch = patchOfChange({ object, settings, record: item.record, start, end: info.event.end });
    const isSaved = await save({ record: item.record, patch, name: item.title, done: t(kind === 'moved' ? 'calendar.moved' : 'calendar.resized', { name: item.title }) });
    if (!isSaved) info.revert();
  };
  const dropPending = (id: string) =>
    setPending((current) => {
      if (!current.has(id)) return current;
      const next = new Map(current);
      next.delete(id);
      return next;
    });
  // Saves a keyboard move through the same path as a drag (If-Match with the version last read; a refusal puts the
  // item back and says why). One save per item at a time: a press during a save is saved after it, with the version
  // that save produced.
  const flushMove = async (id: string) => {
    saveTimers.current.delete(id);
    const move = pendingRef.current.get(id);
    if (!move) return;
    if (savingIds.current.has(id)) {
      saveTimers.current.set(id, setTimeout(() => void flushMoveRef.current(id), KEYBOARD_SAVE_DELAY_MS));
      return;
    }
    savingIds.current.add(id);
    const record = itemsRef.current.find((item) => item.id === id)?.record ?? move.item.record;
    const patch = patchOfChange({ object, settings, record, start: move.start, end: move.end ?? null });
    try {
      const isSaved = await save({ record, patch, name: move.item.title, done: t(move.kind === 'moved' ? 'calendar.moved' : 'calendar.resized', { name: move.item.title }) });
      if (!isSaved) {
        // Refused: back to where it is stored (the notification says why); a press made meanwhile is dropped too.
        clearTimeout(saveTimers.current.get(id));
        saveTimers.current.delete(id);
        dropPending(id);
        setAnnouncement(t('calendar.keyboard.notSaved', { name: move.item.title }));
        return;
      }
      // Saved and read again: the stored times show, unless another press came meanwhile (its timer saves it).
      if (pendingRef.current.get(id)?.seq === move.seq) dropPending(id);
    } finally {
      savingIds.current.delete(id);
    }
  };
  // Timers and the unmount call the latest one (this render's object, settings and save).
  const flushMoveRef = useRef(flushMove);
  flushMoveRef.current = flushMove;
  const describeTimes = (allDay: boolean, start: Date, end: Date | undefined) => {
    if (allDay) {
      const last = end ? addLocalDays(end, -1) : start;
      return last > start ? dayFormat.formatRange(start, last) : dayFormat.format(start);
    }
    return end ? dayTimeFormat.formatRange(start, end) : dayTimeFormat.format(start);
  };
  // Alt+arrows on a focused item move it, Alt+Shift+arrows change its length (calendar-keyboard.ts); Escape takes
  // back a move not saved yet, Enter saves it at once.
  const onEventKey = (id: string, event: KeyboardEvent, opensOnEnter: boolean) => {
    const move = pendingRef.current.get(id);
    if (move && (event.key === 'Escape' || event.key === 'Enter')) {
      event.preventDefault();
      event.stopPropagation();
      clearTimeout(saveTimers.current.get(id));
      saveTimers.current.delete(id);
      if (event.key === 'Enter') void flushMoveRef.current(id);
      else {
        dropPending(id);
        setAnnouncement(t('calendar.keyboard.cancelled', { name: move.item.title }));
      }
      return;
    }
    // The agenda's rows, made focusable here, open the record as the other views' items do.
    if (opensOnEnter && (event.key === 'Enter' || event.key === ' ') && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      void navigate(paths.record(object.name, id));
      return;
    }
    const calendar = api();
    const item = move ? { ...move.item, start: move.start, end: move.end } : itemsRef.current.find((candidate) => candidate.id === id);
    if (!calendar || !item) return;
    const change = keyboardChangeOf(event, { item, layout: layoutOf(calendar.view.type), canResize: canResizeItems });
    if (!change) return;
    event.preventDefault();
    event.stopPropagation();
    if (!canMove) {
      setAnnouncement(t('calendar.keyboard.readOnly', { name: item.title }));
      return;
    }
    keyboardFocusId.current = id;
    const next: PendingMove = { item: move?.item ?? item, start: change.start, end: change.end, kind: move?.kind === 'moved' || change.kind === 'moved' ? 'moved' : 'resized', seq: (move?.seq ?? 0) + 1 };
    setPending((current) => new Map(current).set(id, next));
    setAnnouncement(t('calendar.keyboard.pending', { name: item.title, when: describeTimes(item.allDay, change.start, change.end) }));
    // Off the days shown: the calendar follows the item.
    const view = calendar.view;
    if (change.start < view.activeStart || change.start >= view.activeEnd) calendar.gotoDate(change.start);
    clearTimeout(saveTimers.current.get(id));
    saveTimers.current.set(id, setTimeout(() => void flushMoveRef.current(id), KEYBOARD_SAVE_DELAY_MS));
  };
  const onEventKeyRef = useRef(onEventKey);
  onEventKeyRef.current = onEventKey;
  // Leaving the calendar: moves not saved yet are saved now (their timers would otherwise be lost).
  useEffect(() => {
    const timers = saveTimers.current;
    return () => {
      for (const [id, timer] of timers) {
        clearTimeout(timer);
        void flushMoveRef.current(id);
      }
    };
  }, []);
  // A click elsewhere ends keyboard moving: the focus is the person's again.
  useEffect(() => {
    const release = () => {
      keyboardFocusId.current = null;
    };
    globalThis.addEventListener('pointerdown', release, true);
    return () => globalThis.removeEventListener('pointerdown', release, true);
  }, []);
  const onSelect = ({ start, end, allDay }: { start: Date; end: Date; allDay: boolean }) => {
    api()?.unselect();
    setSlot(valuesOfSlot({ object, settings, start, end, allDay }));
  };
  // FullCalendar names a month's day by its number alone (`aria-labelledby`), hiding the events the cell shows:
  // without it, the cell is named by its content, the day and its events.
  const onDayCellMount = (info: DayCellMountArg) => info.el.removeAttribute('aria-labelledby');
  const onEventMount = useCallback((info: EventMountArg) => {
    const id = info.event.id;
    info.el.setAttribute('data-record-id', id);
    if (!info.el.getAttribute('href')) info.el.setAttribute('role', 'button');
    if (!info.event.extendedProps.item) return;
    // FullCalendar makes an item a focusable control, except the agenda's rows when the content is ours: made one here.
    const opensOnEnter = info.el.tabIndex < 0;
    if (opensOnEnter) info.el.tabIndex = 0;
    info.el.setAttribute('aria-describedby', KEYBOARD_HELP_ID);
    info.el.setAttribute('aria-keyshortcuts', `Enter ${keyShortcutsOf(canResizeItems)}`);
    info.el.addEventListener('keydown', (event) => onEventKeyRef.current(id, event, opensOnEnter), { capture: true });
    // Drawn anew (moved to another column) while it had the focus: it keeps it. Never taken from anywhere else.
    const active = globalThis.document?.activeElement;
    if (keyboardFocusId.current === id && (!active || active === globalThis.document.body)) info.el.focus();
  }, [canResizeItems]);
  const dayFormat = useMemo(() => new Intl.DateTimeFormat(language, { dateStyle: 'full' }), [language]);
  const dayTimeFormat = useMemo(() => new Intl.DateTimeFormat(language, { dateStyle: 'full', timeStyle: 'short' }), [language]);
  const when = (item: CalendarItem) => (item.allDay ? dayFormat : dayTimeFormat).format(item.start);
  const renderEvent = (info: EventContentArg) => {
    const item = info.event.extendedProps.item as CalendarItem | undefined;
    // The slot being selected is drawn as an event of its own (the mirror): its time only.
    if (!item) return <div className="rapport-calendar-event">{info.timeText}</div>;
    return (
      <div className="rapport-calendar-event">
        {info.timeText ? <span className="rapport-calendar-event-time">{info.timeText}</span> : null}
        <span className="rapport-calendar-event-title">{item.title}</span>
        {item.isOverdue ? <span className="rapport-calendar-event-badge">{t('calendar.overdue')}</span> : null}
        {/* What a sighted person reads from the event's column and colour; its name starts with what it shows. */}
        <VisuallyHidden>{`, ${[when(item), choiceLabel(item)].filter(Boolean).join(', ')}`}</VisuallyHidden>
      </div>
    );
  };

  return (
    <Box pos="relative">
      <CalendarToolbar
        object={object}
        title={isTeam ? new Intl.DateTimeFormat(language, horizon === 'day' ? { dateStyle: 'full' } : { month: 'short', day: 'numeric', year: 'numeric' }).formatRange(teamRange.start, addLocalDays(teamRange.end, -1)) : title}
        mode={mode}
        modes={canTeam ? ['month', 'week', 'day', 'agenda', 'team'] : ['month', 'week', 'day', 'agenda']}
        onModeChange={onModeChange}
        horizon={horizon}
        onHorizonChange={setHorizon}
        onNavigate={onNavigate}
        settings={settings}
        onSettingsChange={onSettingsChange}
      />
      {list.error ? (
        <Alert color="red" role="alert" title={t('table.loadFailed')} mb="sm">
          {problemMessage(t, list.error)}
        </Alert>
      ) : null}
      {list.isTruncated ? (
        <Alert color="yellow" mb="sm">
          {t('calendar.truncated', { shown: list.records.length })}
        </Alert>
      ) : null}
      <Box pos="relative" className="rapport-calendar" aria-busy={list.isFetching}>
        <LoadingOverlay visible={list.isLoading && Boolean(range)} zIndex={5} overlayProps={{ blur: 1 }} />
        {isTeam && ownerField ? (
          <TeamTimeline
            object={object}
            ownerField={ownerField}
            items={items}
            days={localDaysBetween(teamRange.start, teamRange.end)}
            canDelegate={editable.has(ownerField.name)}
            onOpen={(item) => void navigate(paths.record(object.name, item.id))}
          />
        ) : (
          <FullCalendar
            ref={calendarRef}
            plugins={[dayGridPlugin, timeGridPlugin, listPlugin, interactionPlugin]}
            initialView={fullCalendarViewOf(mode, isDate)}
            initialDate={anchor}
            headerToolbar={false}
            locale={language}
            firstDay={firstDay}
            timeZone="local"
            height={mode === 'month' || mode === 'agenda' ? 'auto' : 720}
            scrollTime="08:00:00"
            nowIndicator
            dayMaxEvents
            allDaySlot={isDate}
            events={events}
            editable={canMove}
            eventStartEditable={canMove}
            eventDurationEditable={canMove && canResize(settings, editable)}
            eventInteractive
            selectable={canCreate}
            selectMirror
            select={onSelect}
            eventClick={(info: EventClickArg) => {
              info.jsEvent.preventDefault();
              void navigate(paths.record(object.name, info.event.id));
            }}
            eventDrop={(info) => void onChange(info, 'moved')}
            eventResize={(info) => void onChange(info, 'resized')}
            eventDisplay="block"
            eventDidMount={onEventMount}
            dayCellDidMount={onDayCellMount}
            eventContent={renderEvent}
            datesSet={onDatesSet}
            allDayText={t('calendar.allDay')}
            noEventsText={t('calendar.noEvents', { name: sentence.objectPlural(object) })}
            moreLinkText={(count) => t('calendar.more', { number: count })}
            navLinks={false}
          />
        )}
      </Box>
      {!isTeam && items.length > 0 ? (
        <Text id={KEYBOARD_HELP_ID} size="xs" c="dimmed" mt="xs">
          {canMove ? (canResizeItems ? t('calendar.keyboard.help') : t('calendar.keyboard.helpNoResize')) : t('calendar.keyboard.helpOpenOnly')}
        </Text>
      ) : null}
      <VisuallyHidden role="status" aria-live="polite" data-calendar-announcement>
        {announcement}
      </VisuallyHidden>
      {slot ? <CreateRecordModal object={object} objects={objects} values={slot} onClose={() => setSlot(undefined)} /> : null}
    </Box>
  );
};
