import type { ObjectDefinition } from '@rapport/common';
import { useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import {
  IconAdjustments,
  IconCalendar,
  IconEdit,
  IconFileImport,
  IconHome,
  IconLanguage,
  IconLayoutKanban,
  IconLogout,
  IconMoon,
  IconNote,
  IconPlus,
  IconSearch,
  IconSettings,
  IconShieldLock,
  IconStar,
  IconStarOff,
  IconSun,
  IconTable,
  type Icon,
} from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useMatch, useNavigate } from 'react-router';
import { useObjects, useSearch } from '../../api/queries.ts';
import { LANGUAGES, toLanguageCode } from '../../i18n/languages.ts';
import { useSession } from '../auth/session.tsx';
import { importableObjects } from '../imports/import-model.ts';
import { importPaths } from '../imports/import-paths.ts';
import { useLabels, useSentenceLabels } from '../object-record/labels.ts';
import { canOn, findObject, paths } from '../object-record/metadata.ts';
import { objectIconOf } from '../object-record/object-icon.tsx';
import { activityLinkOf } from '../object-record/record-page/activity-model.ts';
import { findFavourite, useFavouriteMutations, useFavourites, useViews } from '../object-record/views/views-api.ts';
import { SETTINGS_GROUPS, sectionLabelKey } from '../settings/settings-sections.ts';
import { useIsAdmin } from '../settings/use-is-admin.ts';
import { rememberChosenLanguage } from '../shell/interface-language.ts';
import type { PaletteEntry } from './palette-model.ts';

/** One thing the palette offers: where it goes or what it does. */
export interface PaletteItem extends PaletteEntry {
  description?: string;
  icon: Icon;
  run(): void;
  /** Runs once the palette has closed and given the focus back (for actions that move the focus themselves). */
  runAfterClose?: boolean;
}

const viewPath = (object: string, id: string) => `${paths.list(object)}?view=${encodeURIComponent(id)}`;

/** The record page open now, if any (`/objects/:object/:id`, not the create or duplicates screens). */
const useOpenRecord = (objects: readonly ObjectDefinition[]) => {
  const match = useMatch('/objects/:object/:id');
  const id = match?.params.id;
  const object = findObject(objects, match?.params.object);
  return object && id && id !== 'new' && id !== 'duplicates' ? { object, id } : undefined;
};

/**
 * Puts the focus in the record page's note editor, opening its Notes tab first when another tab shows.
 * The editor mounts a moment after its tab opens: try again until the focus stays there (for 2 s at most).
 */
const focusNoteEditor = (editorLabel: string, tabLabel: string, attempts = 20) => {
  const editor = document.querySelector<HTMLElement>(`main [role="textbox"][aria-label="${CSS.escape(editorLabel)}"]`);
  if (editor && document.activeElement === editor) return;
  if (editor) {
    editor.scrollIntoView({ block: 'center' });
    editor.focus();
  } else {
    const tab = [...document.querySelectorAll<HTMLElement>('main [role="tab"]')].find((candidate) => candidate.textContent?.trim() === tabLabel);
    if (tab?.getAttribute('aria-selected') === 'false') tab.click();
  }
  if (attempts > 0) window.setTimeout(() => focusNoteEditor(editorLabel, tabLabel, attempts - 1), 100);
};

/** Actions on the record page open now: edit it, add a note, pin or unpin it. */
const useRecordEntries = (objects: readonly ObjectDefinition[]): PaletteItem[] => {
  const { t } = useTranslation();
  const sentence = useSentenceLabels();
  const navigate = useNavigate();
  const open = useOpenRecord(objects);
  const favourites = useFavourites();
  const { add, remove } = useFavouriteMutations();
  if (!open) return [];
  const { object, id } = open;
  const name = sentence.objectSingular(object);
  const items: PaletteItem[] = [];
  if (canOn(object, 'update')) {
    items.push({ id: 'record:edit', group: 'record', label: t('search.editRecord', { name }), icon: IconEdit, run: () => void navigate(paths.edit(object.name, id)) });
  }
  const note = findObject(objects, 'note');
  if (note && activityLinkOf(note, object) && canOn(note, 'create')) {
    items.push({ id: 'record:note', group: 'record', label: t('search.addNote', { name }), icon: IconNote, runAfterClose: true, run: () => focusNoteEditor(t('activities.noteLabel'), t('activities.notes')) });
  }
  if (!favourites.isError && favourites.data) {
    const favourite = findFavourite(favourites.data, { object: object.name, recordId: id });
    items.push(
      favourite
        ? { id: 'record:unfavourite', group: 'record', label: t('search.unfavouriteRecord', { name }), icon: IconStarOff, run: () => remove.mutate(favourite.id) }
        : { id: 'record:favourite', group: 'record', label: t('search.favouriteRecord', { name }), icon: IconStar, run: () => add.mutate({ object: object.name, recordId: id }) },
    );
  }
  return items;
};

/** Switch the theme, change the language, sign out. */
const useAppActions = (): PaletteItem[] => {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { signOut } = useSession();
  const { setColorScheme } = useMantineColorScheme();
  const isDark = useComputedColorScheme('light', { getInitialValueInEffect: false }) === 'dark';
  const current = toLanguageCode(i18n.resolvedLanguage ?? i18n.language);
  const themeWords = [t('search.themeWords')];
  return [
    isDark
      ? { id: 'theme:light', group: 'actions', label: t('shell.lightTheme'), keywords: themeWords, icon: IconSun, run: () => setColorScheme('light') }
      : { id: 'theme:dark', group: 'actions', label: t('shell.darkTheme'), keywords: themeWords, icon: IconMoon, run: () => setColorScheme('dark') },
    ...LANGUAGES.filter((language) => language.code !== current).map(
      (language): PaletteItem => ({
        id: `language:${language.code}`,
        group: 'actions',
        label: t('search.changeLanguage', { language: language.name }),
        keywords: [language.name, t('shell.languageLabel')],
        icon: IconLanguage,
        run: () => {
          rememberChosenLanguage(language.code);
          void i18n.changeLanguage(language.code);
        },
      }),
    ),
    {
      id: 'sign-out',
      group: 'actions',
      label: t('auth.signOut'),
      icon: IconLogout,
      run: () => void signOut().then(() => navigate('/sign-in', { replace: true })),
    },
  ];
};

/**
 * Everything the palette can offer for `query` (the ranking picks what shows): the open record's actions,
 * favourites, records the server found, saved views, objects, pages, the settings the person may open
 * (administrators, as the navigation shows them) and actions. Only data the navigation already loads:
 * typing asks the server for records only.
 */
export const usePaletteEntries = (query: string): { items: PaletteItem[]; isSearching: boolean; searchError: unknown } => {
  const { t } = useTranslation();
  const labels = useLabels();
  const sentence = useSentenceLabels();
  const navigate = useNavigate();
  const isAdmin = useIsAdmin();
  const { data: objects = [] } = useObjects();
  const { data: views = [] } = useViews();
  const { data: favourites = [] } = useFavourites();
  const search = useSearch(query);
  const recordItems = useRecordEntries(objects);
  const appActions = useAppActions();
  const hits = query ? search.data : undefined;

  const items = useMemo(() => {
    const go = (to: string) => () => void navigate(to);
    const objectOf = (name: string) => findObject(objects, name);
    const labelOf = (name: string, label: (object: ObjectDefinition) => string) => {
      const object = objectOf(name);
      return object ? label(object) : name;
    };
    const plural = (name: string) => labelOf(name, labels.objectPlural);
    const singular = (name: string) => labelOf(name, labels.objectSingular);
    const list: PaletteItem[] = [];
    for (const favourite of favourites) {
      const isView = favourite.kind === 'view';
      const description = isView ? plural(favourite.view.object) : singular(favourite.record.object);
      list.push({
        id: `favourite:${favourite.id}`,
        group: 'favourites',
        label: isView ? favourite.view.name : favourite.record.label || t('fieldValue.untitled'),
        description,
        keywords: [description],
        icon: IconStar,
        run: go(isView ? viewPath(favourite.view.object, favourite.view.id) : paths.record(favourite.record.object, favourite.record.id)),
      });
    }
    for (const hit of hits ?? []) {
      const object = objectOf(hit.object);
      list.push({
        id: `record:${hit.object}:${hit.id}`,
        group: 'records',
        label: hit.label || hit.id.slice(0, 8),
        description: singular(hit.object),
        isFound: true,
        needsQuery: true,
        icon: object ? objectIconOf(object) : IconSearch,
        run: go(paths.record(hit.object, hit.id)),
      });
    }
    for (const view of views) {
      const objectLabel = plural(view.object);
      list.push({
        id: `view:${view.id}`,
        group: 'views',
        label: view.name,
        description: t(view.visibility === 'shared' ? 'search.sharedView' : 'search.privateView', { object: objectLabel }),
        keywords: [objectLabel],
        icon: view.type === 'kanban' ? IconLayoutKanban : view.type === 'calendar' ? IconCalendar : IconTable,
        run: go(viewPath(view.object, view.id)),
      });
    }
    for (const object of objects) {
      const keywords = [labels.objectSingular(object), object.name];
      list.push({ id: `open:${object.name}`, group: 'objects', label: labels.objectPlural(object), keywords, icon: objectIconOf(object), run: go(paths.list(object.name)) });
    }
    for (const object of objects.filter((candidate) => canOn(candidate, 'create'))) {
      list.push({
        id: `new:${object.name}`,
        group: 'actions',
        label: t('table.new', { name: labels.objectSingular(object) }),
        keywords: [`${t('search.createWords')} ${sentence.objectSingular(object)}`, object.name],
        needsQuery: true,
        icon: IconPlus,
        run: go(paths.create(object.name)),
      });
    }
    list.push({ id: 'page:home', group: 'pages', label: t('home.title'), icon: IconHome, run: go(paths.home()) });
    if (importableObjects(objects).length > 0) list.push({ id: 'page:imports', group: 'pages', label: t('imports.history.title'), icon: IconFileImport, run: go(importPaths.history()) });
    const account = t('search.yourAccount');
    list.push({ id: 'page:preferences', group: 'pages', label: t('account.preferences.title'), description: account, keywords: [account], icon: IconAdjustments, run: go('/account/preferences') });
    list.push({ id: 'page:security', group: 'pages', label: t('account.securityTitle'), description: account, keywords: [account], icon: IconShieldLock, run: go('/account/security') });
    if (isAdmin) {
      const settings = t('settings.title');
      for (const { group, sections } of SETTINGS_GROUPS) {
        const groupLabel = t(`settingsMore.groups.${group}`);
        for (const section of sections) {
          list.push({
            id: `settings:${section}`,
            group: 'settings',
            label: t(sectionLabelKey(section)),
            description: `${settings} › ${groupLabel}`,
            keywords: [groupLabel, settings],
            icon: IconSettings,
            run: go(`/settings/${section}`),
          });
        }
      }
    }
    return list;
  }, [favourites, hits, views, objects, isAdmin, labels, sentence, navigate, t]);

  return { items: [...recordItems, ...items, ...appActions], isSearching: search.isFetching, searchError: search.error };
};
