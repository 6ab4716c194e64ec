import { ActionIcon, Button, Checkbox, Group, Popover, Stack, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight, IconColumns } from '@tabler/icons-react';
import type { Table } from '@tanstack/react-table';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiRecord } from '../../../api/types.ts';

/**
 * Shows and hides columns, and moves each one left or right (the keyboard's way to reorder them).
 * Renders again only when `version` (the columns' visibility and order) changes: not with the table's rows.
 */
export const ColumnsMenu = memo(({ table, onMove }: { table: Table<ApiRecord>; onMove(id: string, offset: -1 | 1): void; version: string }) => {
  const { t } = useTranslation();
  const columns = table.getAllLeafColumns().filter((column) => column.getCanHide());
  return (
    <Popover position="bottom-end" withinPortal shadow="md">
      <Popover.Target>
        <Button size="compact-sm" variant="default" leftSection={<IconColumns size={14} aria-hidden />}>
          {t('table.columns')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Stack gap={8} role="group" aria-label={t('table.showColumns')}>
          <Text size="xs" fw={600} c="dimmed">
            {t('table.showColumns')}
          </Text>
          {columns.map((column, index) => {
            const name = String(column.columnDef.header);
            return (
              <Group key={column.id} gap={4} justify="space-between" wrap="nowrap">
                <Checkbox size="xs" label={name} checked={column.getIsVisible()} onChange={column.getToggleVisibilityHandler()} />
                <Group gap={0} wrap="nowrap">
                  <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t('tableExtras.layout.moveLeft', { column: name })} disabled={index === 0} onClick={() => onMove(column.id, -1)}>
                    <IconChevronLeft size={14} aria-hidden />
                  </ActionIcon>
                  <ActionIcon size="sm" variant="subtle" color="gray" aria-label={t('tableExtras.layout.moveRight', { column: name })} disabled={index === columns.length - 1} onClick={() => onMove(column.id, 1)}>
                    <IconChevronRight size={14} aria-hidden />
                  </ActionIcon>
                </Group>
              </Group>
            );
          })}
          <Text size="xs" c="dimmed" maw={260}>
            {t('tableExtras.layout.help')}
          </Text>
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}, (previous, next) => previous.version === next.version && previous.table === next.table && previous.onMove === next.onMove);
