import { Box, Center, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { Brand } from '../shell/brand.tsx';
import { LanguageMenu } from '../shell/language-menu.tsx';
import { ThemeToggle } from '../shell/theme-toggle.tsx';

/** The frame of the screens before sign-in: brand, language and theme, and one card. */
export const AuthLayout = ({ title, subtitle, children, footer }: { title: string; subtitle?: string; children: ReactNode; footer?: ReactNode }) => {
  const { t } = useTranslation();
  useDocumentTitle(title);
  return (
    <Box mih="100dvh" bg="var(--mantine-color-default-hover)">
      <Group justify="space-between" p="md" component="header">
        <Brand />
        <Group gap="xs">
          <LanguageMenu />
          <ThemeToggle />
        </Group>
      </Group>
      <Center component="main" px="md" pb="xl" id="main" tabIndex={-1}>
        <Stack w="100%" maw={440} gap="md">
          <div>
            <Title order={1} size="h2" ta="center" data-page-title tabIndex={-1}>
              {title}
            </Title>
            {subtitle ? (
              <Text c="dimmed" ta="center" mt={4}>
                {subtitle}
              </Text>
            ) : null}
          </div>
          <Paper withBorder shadow="sm" radius="md" p="xl">
            {children}
          </Paper>
          {footer ? <Text ta="center" size="sm">{footer}</Text> : null}
          <Text ta="center" size="xs" c="dimmed">
            {t('app.tagline')}
          </Text>
        </Stack>
      </Center>
    </Box>
  );
};
