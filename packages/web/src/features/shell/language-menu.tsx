import { Button, Menu, Text } from '@mantine/core';
import { IconCheck, IconLanguage } from '@tabler/icons-react';
import { useReducer } from 'react';
import { useTranslation } from 'react-i18next';
import { useWorkspaceSettings } from '../../api/queries.ts';
import { LANGUAGES, toLanguageCode } from '../../i18n/languages.ts';
import { useSession } from '../auth/session.tsx';
import { browserLanguages, forgetChosenLanguage, readChosenLanguage, rememberChosenLanguage, resolveInterfaceLanguage, supportedLanguageOf } from './interface-language.ts';

const Check = ({ isOn }: { isOn: boolean }) => (isOn ? <IconCheck size={14} aria-hidden /> : null);

/**
 * The interface language; the choice is remembered in this browser. Signed in, "the workspace's language"
 * forgets the choice, so the interface follows the workspace's default locale again.
 */
export const LanguageMenu = () => {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  // The choice lives in localStorage: a click renders the menu again even when the language stays the same.
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  const { data: workspace } = useWorkspaceSettings(session.status === 'signedIn');
  const current = toLanguageCode(i18n.resolvedLanguage ?? i18n.language);
  const nameOf = (code: string) => LANGUAGES.find((language) => language.code === code)?.name ?? code;
  const workspaceLanguage = session.status === 'signedIn' ? supportedLanguageOf(workspace?.locale) : null;
  const followsWorkspace = workspaceLanguage !== null && readChosenLanguage() === null;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="subtle" color="gray" px="xs" leftSection={<IconLanguage size={18} aria-hidden />} aria-label={t('shell.language', { language: nameOf(current) })}>
          <Text span inherit visibleFrom="sm">
            {nameOf(current)}
          </Text>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('shell.languageLabel')}</Menu.Label>
        {LANGUAGES.map((language) => {
          const isCurrent = !followsWorkspace && language.code === current;
          return (
            <Menu.Item
              key={language.code}
              lang={language.code}
              onClick={() => {
                rememberChosenLanguage(language.code);
                rerender();
                void i18n.changeLanguage(language.code);
              }}
              rightSection={<Check isOn={isCurrent} />}
              aria-current={isCurrent ? 'true' : undefined}
            >
              {language.name}
            </Menu.Item>
          );
        })}
        {workspaceLanguage ? (
          <Menu.Item
            onClick={() => {
              forgetChosenLanguage();
              rerender();
              void i18n.changeLanguage(resolveInterfaceLanguage({ chosen: null, workspaceLocale: workspaceLanguage, browserLanguages: browserLanguages() }));
            }}
            rightSection={<Check isOn={followsWorkspace} />}
            aria-current={followsWorkspace ? 'true' : undefined}
          >
            {t('settingsMore.language.workspaceDefault', { language: nameOf(workspaceLanguage) })}
          </Menu.Item>
        ) : null}
      </Menu.Dropdown>
    </Menu>
  );
};
