import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { ActionIcon, Alert, Anchor, Badge, Button, Group, Modal, Paper, Select, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { IconLayoutColumns, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { problemMessage } from '../../../api/problem-messages.ts';
import { useObjects } from '../../../api/queries.ts';
import { notify } from '../../../components/ui/notify.ts';
import { LoadingScreen, NotFoundScreen } from '../../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../../components/ui/use-document-title.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../../account/form-errors.ts';
import { useLabels } from '../../object-record/labels.ts';
import { findObject, paths } from '../../object-record/metadata.ts';
import { ObjectIcon } from '../../object-record/object-icon.tsx';
import { notifyDeleted } from './deleted-notice.tsx';
import { deleteField, deleteObject, restoreField, restoreObject, updateObject, useMetadataRefresh } from './designer-api.ts';
import { FieldEditorModal } from './field-editor-modal.tsx';
import { designerPaths, OBJECT_ICONS } from './objects-page.tsx';
import { ValidationRulesSection } from './validation-rules-section.tsx';

const RETENTION_DAYS = 30;

/** The object's labels, icon, description and title field. */
const ObjectDetailsForm = ({ object }: { object: ObjectDefinition }) => {
  const { t, i18n } = useTranslation();
  const refresh = useMetadataRefresh();
  const navigate = useNavigate();
  const [singular, setSingular] = useState(object.labelSingular);
  const [plural, setPlural] = useState(object.labelPlural);
  const [name, setName] = useState(object.name);
  const [icon, setIcon] = useState(object.icon ?? 'box');
  const [description, setDescription] = useState(object.description ?? '');
  const [labelField, setLabelField] = useState(object.labelField ?? '');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);
  const titleCandidates = object.fields.filter((field) => ['text', 'email', 'phone', 'url', 'number', 'formula', 'select'].includes(field.type));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const patch: Record<string, unknown> = {};
    if (singular.trim() !== object.labelSingular) patch.labelSingular = singular.trim();
    if (plural.trim() !== object.labelPlural) patch.labelPlural = plural.trim();
    if (!object.isStandard && name.trim() !== object.name) patch.name = name.trim();
    if (icon !== (object.icon ?? 'box')) patch.icon = icon;
    if (description.trim() !== (object.description ?? '')) patch.description = description.trim() || null;
    if (labelField && labelField !== object.labelField) patch.labelField = labelField;
    if (Object.keys(patch).length === 0) return;
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      const saved = await updateObject(object.name, patch);
      await refresh(saved.name);
      notify({ message: t('designer.objects.saved', { name: saved.labelSingular }) });
      if (saved.name !== object.name) void navigate(designerPaths.object(saved.name), { replace: true });
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['name', 'labelSingular', 'labelPlural', 'description', 'labelField', 'icon']));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="object-details">
      <Title order={2} size="h4" id="object-details" mb="sm">{t('designer.objects.details')}</Title>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
          <Group grow align="flex-start">
            <TextInput label={t('designer.objects.singular')} required value={singular} onChange={(e) => setSingular(e.currentTarget.value)} error={errors.byField.labelSingular} />
            <TextInput label={t('designer.objects.plural')} required value={plural} onChange={(e) => setPlural(e.currentTarget.value)} error={errors.byField.labelPlural} />
          </Group>
          <Group grow align="flex-end">
            <TextInput
              label={t('designer.objects.apiName')}
              description={object.isStandard ? t('designer.objects.standardName') : t('designer.objects.renameHelp')}
              value={name}
              readOnly={object.isStandard}
              onChange={(e) => setName(e.currentTarget.value)}
              error={errors.byField.name}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <Select label={t('designer.objects.icon')} data={OBJECT_ICONS.map((value) => ({ value, label: t(`designer.icons.${value}`) }))} value={icon} onChange={(value) => setIcon(value ?? 'box')} allowDeselect={false} />
            <Select
              label={t('designer.objects.labelField')}
              description={t('designer.objects.labelFieldHelp')}
              data={titleCandidates.map((field) => ({ value: field.name, label: field.label }))}
              value={labelField || null}
              onChange={(value) => setLabelField(value ?? '')}
              allowDeselect={false}
              error={errors.byField.labelField}
            />
          </Group>
          <Textarea label={t('designer.objects.description')} autosize minRows={1} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={errors.byField.description} />
          <Group justify="flex-end">
            <Button type="submit" loading={isBusy}>{t('common.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
};

/** Brings back a field deleted in the last 30 days, by its API name. */
const RestoreFieldForm = ({ object }: { object: ObjectDefinition }) => {
  const { t } = useTranslation();
  const refresh = useMetadataRefresh();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const restored = await restoreField(object.name, name.trim());
      await refresh(object.name);
      notify({ message: t('designer.field.restored', { name: restored.label }) });
      setName('');
    } catch (failure) {
      setError(problemMessage(t, failure));
    }
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-label={t('designer.field.restoreTitle')}>
      <Group align="flex-end" gap="sm">
        <TextInput label={t('designer.field.restoreTitle')} description={t('designer.field.restoreHelp', { days: RETENTION_DAYS })} value={name} onChange={(e) => setName(e.currentTarget.value)} error={error} style={{ flex: '1 1 18rem', maxWidth: '28rem' }} />
        <Button type="submit" variant="default" disabled={name.trim() === ''}>{t('designer.objects.restore')}</Button>
      </Group>
    </form>
  );
};

/** Settings › Objects › one object: its details, its fields (add, edit, delete with undo), its validation rules, links to its layout and records. */
export const ObjectPage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const refresh = useMetadataRefresh();
  const { object: objectName = '' } = useParams();
  const { data: objects, isLoading } = useObjects();
  const object = findObject(objects, objectName);
  const [editing, setEditing] = useState<FieldDefinition | 'new' | null>(null);
  const [deleting, setDeleting] = useState<FieldDefinition | null>(null);
  const [isDeletingObject, setIsDeletingObject] = useState(false);
  useDocumentTitle(object ? labels.objectPlural(object) : undefined);

  if (isLoading) return <LoadingScreen />;
  if (!object) return <NotFoundScreen />;

  const removeField = async (field: FieldDefinition) => {
    setDeleting(null);
    try {
      await deleteField(object.name, field.name);
      await refresh(object.name);
      notifyDeleted(
        {
          message: t('designer.field.deleted', { name: field.label, days: RETENTION_DAYS }),
          undoLabel: t('designer.undo'),
          onUndo: async () => {
            try {
              await restoreField(object.name, field.name);
              await refresh(object.name);
              notify({ message: t('designer.field.restored', { name: field.label }) });
            } catch (error) {
              notify({ message: problemMessage(t, error), color: 'red' });
            }
          },
        },
        t('common.close'),
      );
    } catch (error) {
      notify({ message: problemMessage(t, error), color: 'red' });
    }
  };

  const removeObject = async () => {
    setIsDeletingObject(false);
    try {
      await deleteObject(object.name);
      await refresh();
      void navigate(designerPaths.objects());
      notifyDeleted(
        {
          message: t('designer.objects.deleted', { name: object.labelSingular, days: RETENTION_DAYS }),
          undoLabel: t('designer.undo'),
          onUndo: async () => {
            try {
              await restoreObject(object.name);
              await refresh(object.name);
              notify({ message: t('designer.objects.restored', { name: object.labelSingular }) });
            } catch (error) {
              notify({ message: problemMessage(t, error), color: 'red' });
            }
          },
        },
        t('common.close'),
      );
    } catch (error) {
      notify({ message: problemMessage(t, error), color: 'red' });
    }
  };

  const editable = object.fields.filter((field) => !field.isSystem);

  return (
    <Stack gap="md">
      <Text size="sm">
        <Anchor component={Link} to={designerPaths.objects()}>{t('designer.objects.title')}</Anchor>
      </Text>
      <Group justify="space-between" wrap="wrap">
        <Group gap="sm" wrap="nowrap">
          <ObjectIcon object={object} />
          <Title order={1} size="h2" data-page-title tabIndex={-1}>{labels.objectPlural(object)}</Title>
          <Badge variant="light" color={object.isStandard ? 'gray' : 'teal'}>{object.isStandard ? t('designer.standard') : t('designer.custom')}</Badge>
        </Group>
        <Group gap="xs">
          <Button component={Link} to={paths.list(object.name)} variant="default">{t('designer.objects.openRecords')}</Button>
          <Button component={Link} to={designerPaths.layout(object.name)} variant="default" leftSection={<IconLayoutColumns size={16} aria-hidden />}>{t('designer.objects.editLayout')}</Button>
          {!object.isStandard ? (
            <Button color="red" variant="light" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => setIsDeletingObject(true)}>{t('designer.objects.delete')}</Button>
          ) : null}
        </Group>
      </Group>
      <ObjectDetailsForm key={`${object.name}-${object.labelSingular}-${object.labelPlural}-${object.icon ?? ''}-${object.labelField ?? ''}`} object={object} />
      <Paper withBorder radius="md" p="md" component="section" aria-labelledby="object-fields">
        <Group justify="space-between" mb="sm">
          <Title order={2} size="h4" id="object-fields">{t('designer.field.title')}</Title>
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setEditing('new')}>{t('designer.field.add')}</Button>
        </Group>
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('designer.field.label')}</Table.Th>
                <Table.Th>{t('designer.field.apiName')}</Table.Th>
                <Table.Th>{t('designer.field.type')}</Table.Th>
                <Table.Th>{t('designer.field.flags')}</Table.Th>
                <Table.Th>{t('designer.objects.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {editable.map((field) => (
                <Table.Tr key={field.name}>
                  <Table.Td>
                    {labels.field(object, field)}
                    {field.helpText ? <Text size="xs" c="dimmed">{field.helpText}</Text> : null}
                  </Table.Td>
                  <Table.Td><Text ff="monospace" size="sm">{field.name}</Text></Table.Td>
                  <Table.Td>
                    {t(`designer.types.${field.type}`)}
                    {field.type === 'reference' ? (
                      <Text size="xs" c="dimmed">
                        {field.options?.targets?.length
                          ? field.options.targets.map((name) => { const target = findObject(objects, name); return target ? labels.objectSingular(target) : name; }).join(', ')
                          : t('designer.field.anyObject')}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {field.required ? <Badge size="sm" variant="light" color="blue">{t('designer.field.required')}</Badge> : null}
                      {field.unique ? <Badge size="sm" variant="light" color="grape">{t('designer.field.unique')}</Badge> : null}
                      {field.isStandard ? <Badge size="sm" variant="light" color="gray">{t('designer.standard')}</Badge> : null}
                      {field.options?.encrypted ? <Badge size="sm" variant="light" color="orange">{t('designer.field.encrypted')}</Badge> : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <ActionIcon variant="subtle" onClick={() => setEditing(field)} aria-label={t('designer.field.editLabel', { name: field.label })}>
                        <IconPencil size={16} aria-hidden />
                      </ActionIcon>
                      {!field.isStandard && field.options?.kind !== 'oneToMany' ? (
                        <ActionIcon variant="subtle" color="red" onClick={() => setDeleting(field)} aria-label={t('designer.field.deleteLabel', { name: field.label })}>
                          <IconTrash size={16} aria-hidden />
                        </ActionIcon>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <RestoreFieldForm object={object} />
      <ValidationRulesSection object={object} />
      <FieldEditorModal object={object} field={editing === 'new' || editing === null ? undefined : editing} opened={editing !== null} onClose={() => setEditing(null)} />
      <Modal opened={deleting !== null} onClose={() => setDeleting(null)} title={t('designer.field.deleteTitle', { name: deleting?.label ?? '' })} closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack gap="md">
          <Text size="sm">{t('designer.field.deleteHelp', { days: RETENTION_DAYS })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setDeleting(null)}>{t('common.cancel')}</Button>
            <Button color="red" onClick={() => deleting && void removeField(deleting)}>{t('common.delete')}</Button>
          </Group>
        </Stack>
      </Modal>
      <Modal opened={isDeletingObject} onClose={() => setIsDeletingObject(false)} title={t('designer.objects.deleteTitle', { name: object.labelSingular })} closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack gap="md">
          <Text size="sm">{t('designer.objects.deleteHelp', { days: RETENTION_DAYS })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setIsDeletingObject(false)}>{t('common.cancel')}</Button>
            <Button color="red" onClick={() => void removeObject()}>{t('common.delete')}</Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
};
