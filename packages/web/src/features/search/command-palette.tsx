import { Group, Kbd, Loader, ScrollArea, Text } from '@mantine/core';
import { useDebouncedValue, useOs } from '@mantine/hooks';
import { spotlight, Spotlight } from '@mantine/spotlight';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../api/problem-messages.ts';
import classes from './command-palette.module.css';
import { usePaletteEntries, type PaletteItem } from './palette-entries.ts';
import { moveActive, rankPalette, type PaletteGroupId, type PaletteSection } from './palette-model.ts';

const HEADINGS = {
  record: 'search.here',
  favourites: 'search.favourites',
  records: 'search.records',
  views: 'search.views',
  objects: 'search.objects',
  pages: 'search.pages',
  settings: 'search.settings',
  actions: 'search.actions',
} as const satisfies Record<PaletteGroupId, string>;

const optionId = (listId: string, item: PaletteItem) => `${listId}-${item.id.replace(/[^\w-]/g, '_')}`;

const PaletteOption = ({ item, id, isActive, onRun, onHover }: { item: PaletteItem; id: string; isActive: boolean; onRun(): void; onHover(): void }) => {
  const Icon = item.icon;
  return (
    <div id={id} role="option" aria-selected={isActive} tabIndex={-1} className={classes.option} onClick={onRun} onMouseMove={isActive ? undefined : onHover} onMouseDown={(event) => event.preventDefault()}>
      <span className={classes.icon}>
        <Icon size={18} aria-hidden />
      </span>
      <span className={classes.body}>
        <span className={classes.label}>{item.label}</span>
        {item.description ? <span className={classes.description}>{item.description}</span> : null}
      </span>
    </div>
  );
};

const PaletteList = ({ sections, listId, activeId, onRun, onHover }: { sections: PaletteSection<PaletteItem>[]; listId: string; activeId: string | null; onRun(item: PaletteItem): void; onHover(id: string): void }) => {
  const { t } = useTranslation();
  return (
    <div id={listId} role="listbox" aria-label={t('search.results')} className={classes.list}>
      {sections.map((section) => (
        <div key={section.group} role="group" aria-labelledby={`${listId}-${section.group}`}>
          <div id={`${listId}-${section.group}`} role="presentation" className={classes.groupLabel}>
            {t(HEADINGS[section.group])}
          </div>
          {section.entries.map((item) => (
            <PaletteOption key={item.id} item={item} id={optionId(listId, item)} isActive={item.id === activeId} onRun={() => onRun(item)} onHover={() => onHover(item.id)} />
          ))}
        </div>
      ))}
    </div>
  );
};

/** The keys the palette answers to, and the shortcut that opens it anywhere. */
const PaletteFooter = () => {
  const { t } = useTranslation();
  const os = useOs();
  return (
    <div className={classes.footer}>
      <Group gap={4} wrap="nowrap">
        <Kbd size="xs">↑</Kbd>
        <Kbd size="xs">↓</Kbd>
        <span>{t('search.hintMove')}</span>
      </Group>
      <Group gap={4} wrap="nowrap">
        <Kbd size="xs">Enter</Kbd>
        <span>{t('search.hintRun')}</span>
      </Group>
      <Group gap={4} wrap="nowrap">
        <Kbd size="xs">Esc</Kbd>
        <span>{t('search.hintClose')}</span>
      </Group>
      <Group gap={4} wrap="nowrap" ml="auto">
        <Kbd size="xs">{os === 'macos' ? '⌘' : 'Ctrl'}</Kbd>
        <Kbd size="xs">K</Kbd>
        <span>{t('search.hintOpen')}</span>
      </Group>
    </div>
  );
};

/**
 * Ctrl/Cmd-K: search any record, jump to a favourite, saved view, object, page or settings section, or run
 * an action (new record, theme, language, sign out, and the open record's own). Results are grouped under
 * headings, best match first; arrows move, Enter runs, Esc closes. Spotlight gives the dialog and the
 * shortcut; the list is a listbox whose active option the search box points at (aria-activedescendant).
 */
export const CommandPalette = () => {
  const { t } = useTranslation();
  const listId = useId().replace(/:/g, '');
  const [query, setQuery] = useState('');
  const [debounced] = useDebouncedValue(query.trim(), 200);
  const { items, isSearching, searchError } = usePaletteEntries(debounced);
  const sections = useMemo(() => rankPalette(items, query), [items, query]);
  // The option the person moved to; the first one until they move (and again once they type).
  const [chosen, setChosen] = useState<string | null>(null);
  const afterClose = useRef<(() => void) | null>(null);
  const shown = sections.flatMap((section) => section.entries);
  const active = shown.find((item) => item.id === chosen) ?? shown[0];
  const activeId = active ? optionId(listId, active) : undefined;

  useEffect(() => setChosen(null), [query]);
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  const run = (item: PaletteItem) => {
    spotlight.close();
    if (item.runAfterClose) afterClose.current = item.run;
    else item.run();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // Typing Chinese or Japanese: Enter and the arrows belong to the input method until the text is composed.
    if (event.nativeEvent.isComposing) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setChosen(moveActive(sections, active?.id ?? null, event.key === 'ArrowDown' ? 1 : -1));
    } else if (event.key === 'Enter' && active) {
      event.preventDefault();
      run(active);
    }
  };

  return (
    <Spotlight.Root
      query={query}
      onQueryChange={setQuery}
      shortcut={['mod + K']}
      tagsToIgnore={[]}
      transitionProps={{
        onExited: () => {
          const next = afterClose.current;
          afterClose.current = null;
          // After the dialog has given the focus back, so an action can move it (into the note editor).
          if (next) window.setTimeout(next, 20);
        },
      }}
    >
      <Spotlight.Search
        data-autofocus
        placeholder={t('search.placeholder')}
        aria-label={t('search.placeholder')}
        role="combobox"
        aria-expanded={shown.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeId}
        onKeyDown={onKeyDown}
        leftSection={isSearching ? <Loader size={16} aria-label={t('common.loading')} /> : <IconSearch size={18} aria-hidden />}
      />
      <ScrollArea.Autosize mah="min(460px, calc(100vh - 16rem))" type="auto">
        {shown.length > 0 ? <PaletteList sections={sections} listId={listId} activeId={active?.id ?? null} onRun={run} onHover={setChosen} /> : null}
        {searchError ? (
          <Text size="sm" c="red" p="sm" role="alert">
            {problemMessage(t, searchError)}
          </Text>
        ) : null}
        {shown.length === 0 && !isSearching ? (
          <Text size="sm" c="dimmed" ta="center" p="md" role="status">
            {t('search.nothingFound', { query: query.trim() })}
          </Text>
        ) : null}
      </ScrollArea.Autosize>
      <PaletteFooter />
    </Spotlight.Root>
  );
};
