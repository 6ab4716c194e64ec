import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { arrayMove, SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ActionIcon, Alert, Button, Group, Modal, Paper, Stack, Text } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconGripVertical } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../../api/problem-messages.ts';

export interface ReorderItem {
  id: string;
  label: string;
}

export interface ReorderSection {
  key: string;
  title?: string | undefined;
  items: ReorderItem[];
}

const Item = ({ item, index, count, onMove }: { item: ReorderItem; index: number; count: number; onMove(offset: -1 | 1): void }) => {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: item.id });
  return (
    <Paper
      ref={setNodeRef}
      component="li"
      withBorder
      radius="sm"
      px="xs"
      py={4}
      data-reorder-item={item.label}
      style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1, listStyle: 'none', background: 'var(--mantine-color-body)' }}
    >
      <Group gap={6} wrap="nowrap" justify="space-between">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <ActionIcon ref={setActivatorNodeRef} variant="subtle" color="gray" size="sm" style={{ cursor: 'grab', touchAction: 'none' }} aria-label={t('tableExtras.reorder.drag', { name: item.label })} {...attributes} {...listeners}>
            <IconGripVertical size={14} aria-hidden />
          </ActionIcon>
          <Text size="sm" truncate>
            {item.label}
          </Text>
        </Group>
        <Group gap={0} wrap="nowrap">
          <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('tableExtras.reorder.moveUp', { name: item.label })} disabled={index === 0} onClick={() => onMove(-1)}>
            <IconArrowUp size={14} aria-hidden />
          </ActionIcon>
          <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('tableExtras.reorder.moveDown', { name: item.label })} disabled={index === count - 1} onClick={() => onMove(1)}>
            <IconArrowDown size={14} aria-hidden />
          </ActionIcon>
        </Group>
      </Group>
    </Paper>
  );
};

const SortableSection = ({ section, onChange }: { section: ReorderSection; onChange(items: ReorderItem[]): void }) => {
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const ids = section.items.map((item) => item.id);
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    onChange(arrayMove(section.items, ids.indexOf(String(active.id)), ids.indexOf(String(over.id))));
  };
  return (
    <Stack gap={4}>
      {section.title ? (
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" component="h3" m={0}>
          {section.title}
        </Text>
      ) : null}
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
        <SortableContext items={ids} strategy={verticalListSortingStrategy}>
          <Stack component="ul" gap={4} m={0} p={0} aria-label={section.title}>
            {section.items.map((item, index) => (
              <Item key={item.id} item={item} index={index} count={section.items.length} onMove={(offset) => onChange(arrayMove(section.items, index, index + offset))} />
            ))}
          </Stack>
        </SortableContext>
      </DndContext>
    </Stack>
  );
};

/**
 * A list (or several) put in order by dragging an item's handle (pointer, or the keyboard: Space,
 * arrows, Space) or with its up and down buttons, then saved at once.
 */
export const ReorderModal = ({ title, description, sections, onSave, onClose }: {
  title: string;
  description: string;
  sections: ReorderSection[];
  onSave(sections: ReorderSection[]): Promise<unknown>;
  onClose(): void;
}) => {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(sections);
  const [isSaving, setIsSaving] = useState(false);
  const [error, setError] = useState<unknown>();
  const save = async () => {
    setIsSaving(true);
    setError(undefined);
    try {
      await onSave(draft);
      onClose();
    } catch (caught) {
      setError(caught);
    } finally {
      setIsSaving(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          {description}
        </Text>
        {draft.map((section) => (
          <SortableSection key={section.key} section={section} onChange={(items) => setDraft((previous) => previous.map((candidate) => (candidate.key === section.key ? { ...candidate, items } : candidate)))} />
        ))}
        {error !== undefined ? (
          <Alert color="red" role="alert">
            {problemMessage(t, error)}
          </Alert>
        ) : null}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button loading={isSaving} onClick={() => void save()}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
};
