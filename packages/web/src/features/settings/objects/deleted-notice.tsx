import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';

/** A notification with an Undo button that restores what was just deleted. */
export const notifyDeleted = ({ message, undoLabel, onUndo }: { message: string; undoLabel: string; onUndo: () => Promise<void> }, closeLabel: string) => {
  const id = `designer-deleted-${Date.now()}`;
  notifications.show({
    id,
    color: 'green',
    autoClose: 15_000,
    closeButtonProps: { 'aria-label': closeLabel },
    message: (
      <Group justify="space-between" gap="sm" wrap="nowrap">
        <Text size="sm">{message}</Text>
        <Button size="compact-sm" variant="light" onClick={() => { notifications.hide(id); void onUndo(); }}>
          {undoLabel}
        </Button>
      </Group>
    ),
  });
};
