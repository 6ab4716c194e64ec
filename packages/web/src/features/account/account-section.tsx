import { Paper, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A titled part of an account screen (Security, Preferences). */
export const AccountSection = ({ title, children }: { title: string; children: ReactNode }) => (
  <Paper withBorder radius="md" p="lg" component="section" aria-label={title}>
    <Stack gap="md">
      <Title order={2} size="h4">{title}</Title>
      {children}
    </Stack>
  </Paper>
);
