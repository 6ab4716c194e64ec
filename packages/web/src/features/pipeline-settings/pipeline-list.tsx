import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type Announcements, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ActionIcon, Badge, Group, NavLink, Paper, Stack, Switch, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { IconGripVertical } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { queryKeys } from '../../api/queries.ts';
import { notify } from '../../components/ui/notify.ts';
import { pipelineKeys } from './pipeline-api.ts';
import { pipelineOrderWritesOf, positionIn, reorderList, type PipelineRecord } from './pipeline-model.ts';

const idOf = (pipeline: PipelineRecord) => pipeline.id;

/** One pipeline: its drag handle, a link that opens it in the editor, and its active switch. */
const PipelineItem = ({ pipeline, isSelected }: { pipeline: PipelineRecord; isSelected: boolean }) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: pipeline.id });
  const [isSwitching, setIsSwitching] = useState(false);
  const isActive = pipeline.isActive !== false;

  const toggle = async (next: boolean) => {
    setIsSwitching(true);
    try {
      await api.patch(`/records/pipeline/${pipeline.id}`, { isActive: next }, { ifMatch: pipeline.version });
      notify({ message: t(next ? 'pipelineSettings.activated' : 'pipelineSettings.deactivated', { name: pipeline.name }) });
    } catch (error) {
      notify({ message: problemMessage(t, error), color: 'red' });
    } finally {
      await queryClient.invalidateQueries({ queryKey: queryKeys.records('pipeline') });
      setIsSwitching(false);
    }
  };

  return (
    <Paper
      ref={setNodeRef}
      component="li"
      withBorder
      radius="sm"
      p={4}
      data-pipeline={pipeline.name}
      style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1, listStyle: 'none', background: 'var(--mantine-color-body)' }}
    >
      <Group gap={4} wrap="nowrap">
        <ActionIcon ref={setActivatorNodeRef} variant="subtle" color="gray" size="sm" style={{ cursor: 'grab', touchAction: 'none' }} aria-label={t('pipelineSettings.drag', { name: pipeline.name })} {...attributes} {...listeners}>
          <IconGripVertical size={14} aria-hidden />
        </ActionIcon>
        <NavLink
          component={Link}
          to={`/settings/pipelines/${pipeline.id}`}
          active={isSelected}
          aria-current={isSelected ? 'page' : undefined}
          variant="light"
          style={{ borderRadius: 'var(--mantine-radius-sm)', flex: 1, minWidth: 0 }}
          label={
            <Group gap={6} wrap="nowrap">
              <Text size="sm" truncate>{pipeline.name}</Text>
              {isActive ? null : <Badge size="xs" variant="light" color="gray">{t('pipelineSettings.inactive')}</Badge>}
            </Group>
          }
        />
        <Switch size="sm" checked={isActive} disabled={isSwitching} onChange={(event) => void toggle(event.currentTarget.checked)} aria-label={t('pipelineSettings.activeLabel', { name: pipeline.name })} />
      </Group>
    </Paper>
  );
};

/**
 * The pipelines in their order: each is dragged by its handle (pointer, or the keyboard: Space, arrows, Space) to a
 * new place. The list shows the new order at once, one batch saves the positions that changed, and a refusal puts
 * the old order back with the API's reason.
 */
export const PipelineList = ({ pipelines, selectedId }: { pipelines: PipelineRecord[]; selectedId: string | undefined }) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const count = pipelines.length;
  const nameOf = (id: string | number) => pipelines.find((pipeline) => pipeline.id === String(id))?.name ?? '';
  const where = (id: string | number | undefined) => positionIn(pipelines, idOf, id);

  const save = useMutation({
    mutationFn: (ordered: PipelineRecord[]) => api.post('/records/pipeline/batch', { records: pipelineOrderWritesOf(ordered) }),
    onMutate: async (ordered) => {
      await queryClient.cancelQueries({ queryKey: pipelineKeys.pipelines });
      const previous = queryClient.getQueryData<PipelineRecord[]>(pipelineKeys.pipelines);
      queryClient.setQueryData(pipelineKeys.pipelines, ordered);
      return { previous };
    },
    onError: (error, _ordered, context) => {
      if (context?.previous) queryClient.setQueryData(pipelineKeys.pipelines, context.previous);
      notify({ message: problemMessage(t, error), color: 'red' });
    },
    onSuccess: () => notify({ message: t('pipelineSettings.orderSaved') }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.records('pipeline') }),
  });

  const announcements: Announcements = {
    onDragStart: ({ active }) => t('pipelineSettings.dnd.pickedUp', { name: nameOf(active.id), position: where(active.id), count }),
    onDragOver: ({ active, over }) => (over ? t('pipelineSettings.dnd.movedOver', { name: nameOf(active.id), position: where(over.id), count }) : undefined),
    onDragEnd: ({ active, over }) => t('pipelineSettings.dnd.dropped', { name: nameOf(active.id), position: where(over?.id ?? active.id), count }),
    onDragCancel: ({ active }) => t('pipelineSettings.dnd.cancelled', { name: nameOf(active.id), position: where(active.id), count }),
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const next = reorderList(pipelines, idOf, String(active.id), over ? String(over.id) : undefined);
    if (next) save.mutate(next);
  };

  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={{ announcements, screenReaderInstructions: { draggable: t('pipelineSettings.dnd.instructions') } }}>
      <SortableContext items={pipelines.map(idOf)} strategy={verticalListSortingStrategy}>
        <Stack component="ul" gap={4} m={0} p={0} aria-label={t('pipelineSettings.listLabel')}>
          {pipelines.map((pipeline) => (
            <PipelineItem key={pipeline.id} pipeline={pipeline} isSelected={pipeline.id === selectedId} />
          ))}
        </Stack>
      </SortableContext>
    </DndContext>
  );
};
