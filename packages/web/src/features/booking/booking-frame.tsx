import { Box, Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';

/** The frame of the public booking screens: no navigation, one card, the page's name as the heading. */
export const BookingFrame = ({ title, subtitle, children }: { title: string; subtitle?: string | null; children: ReactNode }) => {
  useDocumentTitle(title);
  return (
    <Box mih="100dvh" bg="var(--mantine-color-default-hover)" py="xl">
      <Center component="main" px="md" id="main" tabIndex={-1}>
        <Stack w="100%" maw={640} gap="md">
          <div>
            <Title order={1} size="h2" data-page-title tabIndex={-1}>
              {title}
            </Title>
            {subtitle ? (
              <Text c="dimmed" mt={4} style={{ whiteSpace: 'pre-line' }}>
                {subtitle}
              </Text>
            ) : null}
          </div>
          <Paper withBorder shadow="sm" radius="md" p="xl">
            {children}
          </Paper>
        </Stack>
      </Center>
    </Box>
  );
};
