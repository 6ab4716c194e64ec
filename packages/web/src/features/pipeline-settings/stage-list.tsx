import { closestCenter, DndContext, KeyboardSensor, PointerSensor, useSensor, useSensors, type Announcements, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ActionIcon, Alert, Button, Grid, Group, MultiSelect, NumberInput, Paper, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconGripVertical, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FORECAST_CATEGORIES, positionIn, reorderList, STAGE_KINDS, withKind, type ForecastCategory, type StageDraft, type StageKind } from './pipeline-model.ts';

const keyOf = (stage: StageDraft) => stage.key;

/** A saved stage the API would not trash because deals are in it: how many, and where they can go. */
export interface StageInUse {
  count: number;
  error?: string | undefined;
}

export interface StageListProps {
  pipelineName: string;
  stages: StageDraft[];
  onChange(stages: StageDraft[]): void;
  /** Opportunity fields a stage can require: value (API name) and label. */
  fieldOptions: { value: string; label: string }[];
  errors: Record<string, Record<string, string>>;
  inUse: Record<string, StageInUse>;
  /** Saved stages deals can be moved to. */
  moveTargets: { id: string; name: string }[];
  onMoveAndDelete(stageId: string, targetId: string): Promise<void>;
}

interface StageItemProps {
  stage: StageDraft;
  position: number;
  onChange(stage: StageDraft): void;
  onRemove(): void;
  fieldOptions: StageListProps['fieldOptions'];
  errors: Record<string, string> | undefined;
  inUse: StageInUse | undefined;
  moveTargets: StageListProps['moveTargets'];
  onMoveAndDelete(targetId: string): Promise<void>;
}

/** What a stage that deals are in offers instead of going to the trash: moving them, then deleting it. */
const InUseNotice = ({ stage, inUse, moveTargets, onMoveAndDelete }: { stage: StageDraft; inUse: StageInUse; moveTargets: StageListProps['moveTargets']; onMoveAndDelete(targetId: string): Promise<void> }) => {
  const { t } = useTranslation();
  const targets = moveTargets.filter((target) => target.id !== stage.id);
  const [target, setTarget] = useState<string | null>(targets[0]?.id ?? null);
  const [isBusy, setIsBusy] = useState(false);
  const run = async () => {
    if (!target) return;
    setIsBusy(true);
    try {
      await onMoveAndDelete(target);
    } finally {
      setIsBusy(false);
    }
  };
  return (
    <Alert color="orange" role="alert" title={t('pipelineSettings.stageInUse', { name: stage.name, count: inUse.count })}>
      <Stack gap="xs">
        {inUse.error ? <Text size="sm" c="red.9">{inUse.error}</Text> : null}
        {targets.length === 0 ? (
          <Text size="sm">{t('pipelineSettings.noOtherStage')}</Text>
        ) : (
          <Group align="flex-end" gap="sm">
            <Select label={t('pipelineSettings.moveTo')} data={targets.map((each) => ({ value: each.id, label: each.name }))} value={target} onChange={setTarget} allowDeselect={false} w={240} />
            <Button loading={isBusy} disabled={!target} onClick={() => void run()}>{t('pipelineSettings.moveAndDelete')}</Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
};

/** One stage: dragged by its handle; its name, probability, kind, forecast category and required fields edited in place. */
const StageItem = ({ stage, position, onChange, onRemove, fieldOptions, errors, inUse, moveTargets, onMoveAndDelete }: StageItemProps) => {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: stage.key });
  const name = stage.name.trim() || t('pipelineSettings.unnamed');
  // Names saved earlier that opportunities no longer have still show (the server names them when it refuses them).
  const options = [...fieldOptions, ...stage.requiredFields.filter((field) => !fieldOptions.some((option) => option.value === field)).map((field) => ({ value: field, label: field }))];
  return (
    <Paper
      ref={setNodeRef}
      component="li"
      withBorder
      radius="sm"
      p="sm"
      aria-label={t('pipelineSettings.stageLabel', { position, name })}
      data-stage={stage.name}
      style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.6 : 1, listStyle: 'none', background: 'var(--mantine-color-body)', position: 'relative', zIndex: isDragging ? 1 : undefined }}
    >
      <Group gap="xs" wrap="nowrap" align="flex-start">
        <ActionIcon ref={setActivatorNodeRef} mt={26} variant="subtle" color="gray" style={{ cursor: 'grab', touchAction: 'none' }} aria-label={t('pipelineSettings.drag', { name })} {...attributes} {...listeners}>
          <IconGripVertical size={16} aria-hidden />
        </ActionIcon>
        <Stack gap="xs" style={{ flex: 1, minWidth: 0 }}>
          <Grid gap="xs" align="flex-end">
            <Grid.Col span={{ base: 12, sm: 6, lg: 4 }}>
              <TextInput label={t('pipelineSettings.stageName')} required value={stage.name} onChange={(event) => onChange({ ...stage, name: event.currentTarget.value })} error={errors?.name} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6, lg: 2 }}>
              <NumberInput
                label={t('pipelineSettings.probability')}
                min={0}
                max={100}
                clampBehavior="strict"
                allowDecimal={false}
                allowNegative={false}
                value={stage.probability ?? ''}
                onChange={(value) => onChange({ ...stage, probability: typeof value === 'number' ? value : null })}
                error={errors?.probability}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
              <Select
                label={t('pipelineSettings.kind')}
                data={STAGE_KINDS.map((kind) => ({ value: kind, label: t(`pipelineSettings.kinds.${kind}`) }))}
                value={stage.kind}
                onChange={(value) => value && onChange(withKind(stage, value as StageKind))}
                allowDeselect={false}
                error={errors?.kind}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6, lg: 3 }}>
              <Select
                label={t('pipelineSettings.forecastCategory')}
                data={FORECAST_CATEGORIES.map((category) => ({ value: category, label: t(`pipelineSettings.forecast.${category}`) }))}
                value={stage.forecastCategory}
                onChange={(value) => value && onChange({ ...stage, forecastCategory: value as ForecastCategory })}
                allowDeselect={false}
                error={errors?.forecastCategory}
              />
            </Grid.Col>
          </Grid>
          <MultiSelect
            label={t('pipelineSettings.requiredFields')}
            description={t('pipelineSettings.requiredFieldsHelp')}
            data={options}
            value={stage.requiredFields}
            onChange={(requiredFields) => onChange({ ...stage, requiredFields })}
            searchable
            clearable
            error={errors?.requiredFields}
          />
          {inUse && stage.id ? <InUseNotice stage={stage} inUse={inUse} moveTargets={moveTargets} onMoveAndDelete={onMoveAndDelete} /> : null}
        </Stack>
        <ActionIcon mt={26} variant="subtle" color="red" aria-label={t('pipelineSettings.removeStage', { name })} onClick={onRemove}>
          <IconTrash size={16} aria-hidden />
        </ActionIcon>
      </Group>
    </Paper>
  );
};

/**
 * The stages of the pipeline being edited, in order: dragged by their handle (pointer, or the keyboard: Space,
 * arrows, Space, with announcements), each edited in place and removed with its bin button. Nothing is saved here:
 * the editor saves what changed.
 */
export const StageList = ({ pipelineName, stages, onChange, fieldOptions, errors, inUse, moveTargets, onMoveAndDelete }: StageListProps) => {
  const { t } = useTranslation();
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const count = stages.length;
  const nameOf = (key: string | number) => stages.find((stage) => stage.key === String(key))?.name.trim() || t('pipelineSettings.unnamed');
  const where = (key: string | number | undefined) => positionIn(stages, keyOf, key);
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('pipelineSettings.dnd.pickedUp', { name: nameOf(active.id), position: where(active.id), count }),
    onDragOver: ({ active, over }) => (over ? t('pipelineSettings.dnd.movedOver', { name: nameOf(active.id), position: where(over.id), count }) : undefined),
    onDragEnd: ({ active, over }) => t('pipelineSettings.dnd.dropped', { name: nameOf(active.id), position: where(over?.id ?? active.id), count }),
    onDragCancel: ({ active }) => t('pipelineSettings.dnd.cancelled', { name: nameOf(active.id), position: where(active.id), count }),
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const next = reorderList(stages, keyOf, String(active.id), over ? String(over.id) : undefined);
    if (next) onChange(next);
  };
  return (
    <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd} accessibility={{ announcements, screenReaderInstructions: { draggable: t('pipelineSettings.dnd.instructions') } }}>
      <SortableContext items={stages.map(keyOf)} strategy={verticalListSortingStrategy}>
        <Stack component="ol" gap="xs" m={0} p={0} aria-label={t('pipelineSettings.stagesLabel', { name: pipelineName })}>
          {stages.map((stage, index) => (
            <StageItem
              key={stage.key}
              stage={stage}
              position={index + 1}
              onChange={(changed) => onChange(stages.map((each) => (each.key === stage.key ? changed : each)))}
              onRemove={() => onChange(stages.filter((each) => each.key !== stage.key))}
              fieldOptions={fieldOptions}
              errors={errors[stage.key]}
              inUse={stage.id ? inUse[stage.id] : undefined}
              moveTargets={moveTargets}
              onMoveAndDelete={(targetId) => onMoveAndDelete(stage.id!, targetId)}
            />
          ))}
        </Stack>
      </SortableContext>
    </DndContext>
  );
};
