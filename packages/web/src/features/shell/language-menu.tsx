import { Button, Menu, Text } from '@mantine/core';
import { IconCheck, IconLanguage } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, toLanguageCode } from '../../i18n/languages.ts';

/** The interface language; the choice is remembered in this browser. */
export const LanguageMenu = () => {
  const { t, i18n } = useTranslation();
  const current = toLanguageCode(i18n.resolvedLanguage ?? i18n.language);
  const currentName = LANGUAGES.find((language) => language.code === current)?.name ?? current;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="subtle" color="gray" px="xs" leftSection={<IconLanguage size={18} aria-hidden />} aria-label={t('shell.language', { language: currentName })}>
          <Text span inherit visibleFrom="sm">
            {currentName}
          </Text>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('shell.languageLabel')}</Menu.Label>
        {LANGUAGES.map((language) => (
          <Menu.Item
            key={language.code}
            lang={language.code}
            onClick={() => void i18n.changeLanguage(language.code)}
            rightSection={language.code === current ? <IconCheck size={14} aria-hidden /> : null}
            aria-current={language.code === current ? 'true' : undefined}
          >
            {language.name}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
};
