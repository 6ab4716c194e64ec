import { Paper, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import classes from './sales.module.css';

/** One figure of a sales screen: its name, the value in large type, and a line under it. */
export const FigureCard = ({ label, value, hint, figure, children }: { label: string; value: string; hint?: ReactNode; figure: string; children?: ReactNode }) => (
  <Paper withBorder radius="md" p="md" className={classes.figure} data-figure={figure} component="section" aria-label={label}>
    <Text size="sm" c="dimmed" fw={500}>
      {label}
    </Text>
    <Text fz={26} fw={700} lh={1.2} mt={4} className={classes.figureValue} data-value>
      {value}
    </Text>
    {hint ? (
      <Text size="xs" c="dimmed" mt={6} component="div">
        {hint}
      </Text>
    ) : null}
    {children}
  </Paper>
);
