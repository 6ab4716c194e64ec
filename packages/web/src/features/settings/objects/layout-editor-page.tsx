import type { ObjectDefinition } from '@rapport/common';
import { closestCorners, DndContext, KeyboardSensor, PointerSensor, useDroppable, useSensor, useSensors, type DragEndEvent, type DragOverEvent } from '@dnd-kit/core';
import { SortableContext, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { ActionIcon, Alert, Anchor, Button, Group, Menu, Paper, SegmentedControl, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconArrowDown, IconArrowUp, IconDotsVertical, IconGripVertical, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, isApiError } from '../../../api/client.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { layoutQueryKey, useObjectLayout, useObjects, type ObjectLayout } from '../../../api/queries.ts';
import { notify } from '../../../components/ui/notify.ts';
import { LoadingScreen, NotFoundScreen } from '../../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../../components/ui/use-document-title.ts';
import { useLabels } from '../../object-record/labels.ts';
import { detailFieldsOf, findObject } from '../../object-record/metadata.ts';
import { metadataPath } from './designer-api.ts';
import {
  addSection,
  containerOf,
  moveField,
  moveSection,
  POOL_ID,
  removeSection,
  shiftField,
  toLayoutBody,
  toLayoutState,
  updateSection,
  type LayoutState,
} from './layout-model.ts';
import { designerPaths } from './objects-page.tsx';

interface FieldChipProps {
  name: string;
  label: string;
  state: LayoutState;
  onChange(state: LayoutState): void;
  sectionTitles: { id: string; title: string }[];
}

/** One field: dragged by its handle (pointer or keyboard: space, arrows, space), or moved with its menu. */
const FieldChip = ({ name, label, state, onChange, sectionTitles }: FieldChipProps) => {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: name });
  const container = containerOf(state, name);
  return (
    <Paper
      ref={setNodeRef}
      withBorder
      radius="sm"
      px="xs"
      py={4}
      data-layout-field={name}
      style={{ transform: CSS.Transform.toString(transform), transition, opacity: isDragging ? 0.5 : 1, background: 'var(--mantine-color-body)' }}
    >
      <Group gap={6} wrap="nowrap" justify="space-between">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <ActionIcon ref={setActivatorNodeRef} variant="subtle" color="gray" size="sm" style={{ cursor: 'grab', touchAction: 'none' }} aria-label={t('designer.layout.drag', { name: label })} {...attributes} {...listeners}>
            <IconGripVertical size={14} aria-hidden />
          </ActionIcon>
          <Text size="sm" truncate>{label}</Text>
        </Group>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" size="sm" aria-label={t('designer.layout.moveMenu', { name: label })}>
              <IconDotsVertical size={14} aria-hidden />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconArrowUp size={14} aria-hidden />} onClick={() => onChange(shiftField(state, name, -1))}>{t('designer.layout.moveUp')}</Menu.Item>
            <Menu.Item leftSection={<IconArrowDown size={14} aria-hidden />} onClick={() => onChange(shiftField(state, name, 1))}>{t('designer.layout.moveDown')}</Menu.Item>
            <Menu.Divider />
            <Menu.Label>{t('designer.layout.moveTo')}</Menu.Label>
            {sectionTitles.filter((section) => section.id !== container).map((section) => (
              <Menu.Item key={section.id} onClick={() => onChange(moveField(state, name, section.id))}>{section.title || t('designer.layout.untitled')}</Menu.Item>
            ))}
            {container !== POOL_ID ? <Menu.Item color="red" onClick={() => onChange(moveField(state, name, POOL_ID))}>{t('designer.layout.removeField')}</Menu.Item> : null}
          </Menu.Dropdown>
        </Menu>
      </Group>
    </Paper>
  );
};

/** A drop area holding sortable fields (a section's body or the unplaced fields). */
const FieldList = ({ id, fields, columns, emptyText, chip }: { id: string; fields: string[]; columns: 1 | 2; emptyText: string; chip: (name: string) => ReactNode }) => {
  const { setNodeRef, isOver } = useDroppable({ id });
  return (
    <SortableContext id={id} items={fields} strategy={verticalListSortingStrategy}>
      <div ref={setNodeRef} data-layout-container={id} style={{ minHeight: 44, borderRadius: 'var(--mantine-radius-sm)', outline: isOver ? '2px dashed var(--mantine-primary-color-filled)' : undefined, padding: 4 }}>
        {fields.length === 0 ? (
          <Text size="sm" c="dimmed" ta="center" py="xs">{emptyText}</Text>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: columns }} spacing={6} verticalSpacing={6}>
            {fields.map((name) => <div key={name}>{chip(name)}</div>)}
          </SimpleGrid>
        )}
      </div>
    </SortableContext>
  );
};

const LayoutEditor = ({ object, layout }: { object: ObjectDefinition; layout: ObjectLayout }) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const fields = useMemo(() => detailFieldsOf(object), [object]);
  const fieldLabels = useMemo(() => new Map(fields.map((field) => [field.name, labels.field(object, field)])), [fields, labels, object]);
  const [state, setState] = useState<LayoutState>(() => toLayoutState(layout, fields.map((field) => field.name)));
  const [errors, setErrors] = useState<string[]>([]);
  const [isSaving, setIsSaving] = useState(false);
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const sectionTitles = state.sections.map((section) => ({ id: section.id, title: section.title }));

  const targetOf = (overId: string): { container: string; index?: number } | undefined => {
    if (overId === POOL_ID || state.sections.some((section) => section.id === overId)) return { container: overId };
    const container = containerOf(state, overId);
    if (!container) return undefined;
    const list = container === POOL_ID ? state.unplaced : state.sections.find((section) => section.id === container)!.fields;
    return { container, index: list.indexOf(overId) };
  };
  // Every change is an update of the current state, never of the one this render saw: a drop and a click right after
  // it (both before the next render) must both hold.
  // Across containers the field moves as soon as it is over another one; within one, on drop.
  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (!over) return;
    const target = targetOf(String(over.id));
    if (!target || target.container === containerOf(state, String(active.id))) return;
    setState((current) => moveField(current, String(active.id), target.container, target.index));
  };
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const target = targetOf(String(over.id));
    if (target) setState((current) => moveField(current, String(active.id), target.container, target.index));
  };

  const save = async () => {
    setIsSaving(true);
    setErrors([]);
    try {
      const saved = await api.put<ObjectLayout>(metadataPath.layout(object.name), toLayoutBody(state));
      queryClient.setQueryData(layoutQueryKey(object.name), saved);
      notify({ message: t('designer.layout.saved') });
    } catch (error) {
      setErrors(isApiError(error) && error.fieldErrors.length > 0 ? error.fieldErrors.map((fieldError) => fieldError.message) : [problemMessage(t, error)]);
    } finally {
      setIsSaving(false);
    }
  };

  const chip = (name: string) => <FieldChip name={name} label={fieldLabels.get(name) ?? name} state={state} onChange={setState} sectionTitles={sectionTitles} />;

  return (
    <Stack gap="md">
      {errors.length > 0 ? (
        <Alert color="red" role="alert" title={t('designer.layout.notSaved')}>
          {errors.map((message) => <div key={message}>{message}</div>)}
        </Alert>
      ) : null}
      <DndContext sensors={sensors} collisionDetection={closestCorners} onDragOver={onDragOver} onDragEnd={onDragEnd}>
        <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md">
          <Stack gap="md" style={{ gridColumn: 'span 2' }}>
            {state.sections.map((section, index) => (
              <Paper key={section.id} withBorder radius="md" p="sm" component="section" aria-label={section.title || t('designer.layout.untitled')} data-layout-section={section.title}>
                <Group gap="xs" align="flex-end" mb="xs" wrap="wrap">
                  <TextInput
                    label={t('designer.layout.sectionTitle', { n: index + 1 })}
                    value={section.title}
                    onChange={(event) => {
                      // Read now: the updater may run after the event is gone.
                      const title = event.currentTarget.value;
                      setState((current) => updateSection(current, section.id, { title }));
                    }}
                    error={section.title.trim() === '' ? t('designer.layout.titleRequired') : undefined}
                    style={{ flex: '1 1 12rem' }}
                  />
                  <SegmentedControl
                    aria-label={t('designer.layout.columns', { n: index + 1 })}
                    value={String(section.columns)}
                    onChange={(value) => setState((current) => updateSection(current, section.id, { columns: value === '1' ? 1 : 2 }))}
                    data={[{ value: '1', label: t('designer.layout.oneColumn') }, { value: '2', label: t('designer.layout.twoColumns') }]}
                  />
                  <ActionIcon variant="default" size="lg" onClick={() => setState((current) => moveSection(current, section.id, -1))} disabled={index === 0} aria-label={t('designer.layout.sectionUp', { n: index + 1 })}>
                    <IconArrowUp size={16} aria-hidden />
                  </ActionIcon>
                  <ActionIcon variant="default" size="lg" onClick={() => setState((current) => moveSection(current, section.id, 1))} disabled={index === state.sections.length - 1} aria-label={t('designer.layout.sectionDown', { n: index + 1 })}>
                    <IconArrowDown size={16} aria-hidden />
                  </ActionIcon>
                  <ActionIcon variant="default" size="lg" color="red" onClick={() => setState((current) => removeSection(current, section.id))} disabled={state.sections.length === 1} aria-label={t('designer.layout.removeSection', { n: index + 1 })}>
                    <IconTrash size={16} aria-hidden />
                  </ActionIcon>
                </Group>
                <FieldList id={section.id} fields={section.fields} columns={section.columns} emptyText={t('designer.layout.emptySection')} chip={chip} />
              </Paper>
            ))}
            <Group>
              <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setState((current) => addSection(current, t('designer.layout.newSection')))} disabled={state.sections.length >= 50}>
                {t('designer.layout.addSection')}
              </Button>
            </Group>
          </Stack>
          <Paper withBorder radius="md" p="sm" component="section" aria-labelledby="layout-unplaced">
            <Title order={2} size="h5" id="layout-unplaced">{t('designer.layout.unplaced')}</Title>
            <Text size="xs" c="dimmed" mb="xs">{t('designer.layout.unplacedHelp')}</Text>
            <FieldList id={POOL_ID} fields={state.unplaced} columns={1} emptyText={t('designer.layout.allPlaced')} chip={chip} />
          </Paper>
        </SimpleGrid>
      </DndContext>
      <Group justify="flex-end">
        <Button onClick={() => void save()} loading={isSaving} disabled={state.sections.some((section) => section.title.trim() === '')}>
          {t('designer.layout.save')}
        </Button>
      </Group>
    </Stack>
  );
};

/** Settings › Objects › one object › Layout: sections of fields for its record page and forms. */
export const LayoutEditorPage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const { object: objectName = '' } = useParams();
  const { data: objects, isLoading } = useObjects();
  const object = findObject(objects, objectName);
  const layout = useObjectLayout(objectName, Boolean(object));
  useDocumentTitle(object ? t('designer.layout.title', { name: labels.objectSingular(object) }) : undefined);

  if (isLoading || layout.isLoading) return <LoadingScreen />;
  if (!object) return <NotFoundScreen />;
  return (
    <Stack gap="md">
      <Text size="sm">
        <Anchor component={Link} to={designerPaths.objects()}>{t('designer.objects.title')}</Anchor>
        {' / '}
        <Anchor component={Link} to={designerPaths.object(object.name)}>{labels.objectPlural(object)}</Anchor>
      </Text>
      <Title order={1} size="h2" data-page-title tabIndex={-1}>{t('designer.layout.title', { name: labels.objectSingular(object) })}</Title>
      <Text size="sm" c="dimmed">{t('designer.layout.intro')}</Text>
      {layout.error ? <Alert color="red" role="alert">{problemMessage(t, layout.error)}</Alert> : null}
      {layout.data ? <LayoutEditor key={`${object.name}-${layout.data.updatedAt ?? 'default'}`} object={object} layout={layout.data} /> : null}
    </Stack>
  );
};
