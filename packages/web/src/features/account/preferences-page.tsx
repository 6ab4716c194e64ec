import { Group, Radio, Stack, Title, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { AccountSection } from './account-section.tsx';
import { CalendarFeedSection, ReminderEmailsSwitch } from './calendar-preferences.tsx';
import { NotificationPreferences } from '../notifications/notification-preferences.tsx';
import { applyFontSize, FONT_SIZES, readFontSize, rememberFontSize, toFontSize, type FontSize } from './font-size.ts';

const COLOR_SCHEMES: readonly MantineColorScheme[] = ['light', 'dark', 'auto'];

/** Font size: the whole app follows at once, and the choice is kept in this browser. */
const FontSizeChoice = () => {
  const { t } = useTranslation();
  const format = useFormat();
  const [size, setSize] = useState<FontSize>(readFontSize);
  const choose = (value: string) => {
    const next = toFontSize(value);
    rememberFontSize(next);
    applyFontSize(next);
    setSize(next);
  };
  return (
    <Radio.Group label={t('account.preferences.fontSize')} description={t('account.preferences.fontSizeHelp')} value={size} onChange={choose}>
      <Group mt="xs" gap="lg">
        {FONT_SIZES.map(({ id, scale }) => (
          <Radio key={id} value={id} label={t(`account.preferences.sizes.${id}`)} description={format.percent(scale * 100, scale * 100 % 1 === 0 ? 0 : 1)} />
        ))}
      </Group>
    </Radio.Group>
  );
};

/** Light, dark or the device's scheme (Mantine keeps it in this browser, as the header's toggle does). */
const ColorSchemeChoice = () => {
  const { t } = useTranslation();
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  return (
    <Radio.Group label={t('account.preferences.theme')} description={t('account.preferences.themeHelp')} value={colorScheme} onChange={(value) => setColorScheme(value as MantineColorScheme)}>
      <Group mt="xs" gap="lg">
        {COLOR_SCHEMES.map((scheme) => (
          <Radio key={scheme} value={scheme} label={t(`account.preferences.themes.${scheme}`)} />
        ))}
      </Group>
    </Radio.Group>
  );
};

/** Account › Preferences: how Rapport looks for this person in this browser, their calendar feed and reminder emails. */
export const PreferencesPage = () => {
  const { t } = useTranslation();
  useDocumentTitle(t('account.preferences.title'));
  // A link to one section (the bell's "Notification preferences") scrolls to it.
  const { hash } = useLocation();
  useEffect(() => {
    if (hash) globalThis.document.getElementById(hash.slice(1))?.scrollIntoView({ block: 'start' });
  }, [hash]);
  return (
    <Stack gap="lg" maw={820}>
      <Title order={1} size="h2" data-page-title tabIndex={-1}>{t('account.preferences.title')}</Title>
      <AccountSection title={t('account.preferences.display')}>
        <FontSizeChoice />
        <ColorSchemeChoice />
      </AccountSection>
      <AccountSection title={t('account.preferences.calendarFeed')}>
        <CalendarFeedSection />
      </AccountSection>
      <AccountSection title={t('account.preferences.reminders')}>
        <ReminderEmailsSwitch />
      </AccountSection>
      <div id="notifications">
        <AccountSection title={t('notificationPreferences.title')}>
          <NotificationPreferences />
        </AccountSection>
      </div>
    </Stack>
  );
};
