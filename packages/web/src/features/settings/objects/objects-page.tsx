import type { ObjectDefinition } from '@rapport/common';
import { Alert, Anchor, Badge, Button, Group, Modal, Select, Stack, Table, Text, TextInput, Textarea } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { problemMessage } from '../../../api/problem-messages.ts';
import { useObjects } from '../../../api/queries.ts';
import { notify } from '../../../components/ui/notify.ts';
import { LoadingScreen } from '../../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../../components/ui/use-document-title.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../../account/form-errors.ts';
import { useLabels } from '../../object-record/labels.ts';
import { ObjectIcon } from '../../object-record/object-icon.tsx';
import { SettingsTitle } from '../settings-layout.tsx';
import { createObject, restoreObject, useMetadataRefresh } from './designer-api.ts';
import { toApiName } from './designer-model.ts';

export const OBJECT_ICONS = ['box', 'car', 'building', 'user', 'target', 'checkbox', 'note'] as const;

export const designerPaths = {
  objects: () => '/settings/objects',
  object: (object: string) => `/settings/objects/${encodeURIComponent(object)}`,
  layout: (object: string) => `/settings/objects/${encodeURIComponent(object)}/layout`,
};

/** New custom object: labels, API name (from the singular label until edited), icon; it starts with a required Name field as its title. */
const CreateObjectModal = ({ opened, onClose }: { opened: boolean; onClose: () => void }) => {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const refresh = useMetadataRefresh();
  const [singular, setSingular] = useState('');
  const [plural, setPlural] = useState('');
  const [name, setName] = useState('');
  const [isNameEdited, setIsNameEdited] = useState(false);
  const [icon, setIcon] = useState<string>('box');
  const [description, setDescription] = useState('');
  const [titleLabel, setTitleLabel] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);
  const apiName = isNameEdited ? name : toApiName(singular);

  const close = () => {
    setSingular('');
    setPlural('');
    setName('');
    setIsNameEdited(false);
    setIcon('box');
    setDescription('');
    setTitleLabel('');
    setErrors(NO_ERRORS);
    onClose();
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      await createObject({
        name: apiName,
        labelSingular: singular.trim(),
        labelPlural: plural.trim(),
        icon,
        ...(description.trim() ? { description: description.trim() } : {}),
        labelField: 'name',
        fields: [{ name: 'name', type: 'text', label: titleLabel.trim() || t('designer.objects.defaultTitleLabel'), required: true, isSearchable: true }],
      });
      await refresh(apiName);
      notify({ message: t('designer.objects.created', { name: singular.trim() }) });
      close();
      void navigate(designerPaths.object(apiName));
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['name', 'labelSingular', 'labelPlural', 'description']));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={t('designer.objects.createTitle')} closeButtonProps={{ 'aria-label': t('common.close') }} size="lg">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
          <Group grow align="flex-start">
            <TextInput label={t('designer.objects.singular')} description={t('designer.objects.singularHelp')} required value={singular} onChange={(e) => setSingular(e.currentTarget.value)} error={errors.byField.labelSingular} data-autofocus />
            <TextInput label={t('designer.objects.plural')} description={t('designer.objects.pluralHelp')} required value={plural} onChange={(e) => setPlural(e.currentTarget.value)} error={errors.byField.labelPlural} />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              label={t('designer.objects.apiName')}
              description={t('designer.objects.apiNameHelp')}
              required
              value={apiName}
              onChange={(e) => {
                setIsNameEdited(true);
                setName(e.currentTarget.value);
              }}
              error={errors.byField.name}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
            <Select label={t('designer.objects.icon')} data={OBJECT_ICONS.map((value) => ({ value, label: t(`designer.icons.${value}`) }))} value={icon} onChange={(value) => setIcon(value ?? 'box')} allowDeselect={false} />
          </Group>
          <TextInput label={t('designer.objects.titleField')} description={t('designer.objects.titleFieldHelp')} placeholder={t('designer.objects.defaultTitleLabel')} value={titleLabel} onChange={(e) => setTitleLabel(e.currentTarget.value)} />
          <Textarea label={t('designer.objects.description')} autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={errors.byField.description} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>{t('common.cancel')}</Button>
            <Button type="submit" loading={isBusy}>{t('designer.objects.create')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

/** Brings back an object deleted in the last 30 days, by its API name. */
const RestoreObjectForm = () => {
  const { t } = useTranslation();
  const refresh = useMetadataRefresh();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const restored = await restoreObject(name.trim());
      await refresh(restored.name);
      notify({ message: t('designer.objects.restored', { name: restored.labelSingular }) });
      setName('');
    } catch (failure) {
      setError(problemMessage(t, failure));
    }
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-label={t('designer.objects.restoreTitle')}>
      <Group align="flex-end" gap="sm">
        <TextInput label={t('designer.objects.restoreTitle')} description={t('designer.objects.restoreHelp')} placeholder="vehicle" value={name} onChange={(e) => setName(e.currentTarget.value)} error={error} style={{ flex: '1 1 18rem', maxWidth: '28rem' }} />
        <Button type="submit" variant="default" disabled={name.trim() === ''}>{t('designer.objects.restore')}</Button>
      </Group>
    </form>
  );
};

/** Settings › Objects: standard and custom objects with their fields; create custom ones. */
export const ObjectsPage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const { data: objects, isLoading, error } = useObjects();
  const [isCreating, setIsCreating] = useState(false);
  useDocumentTitle(t('designer.objects.title'));
  const sorted = [...(objects ?? [])].sort((a: ObjectDefinition, b: ObjectDefinition) => Number(b.isStandard ?? false) - Number(a.isStandard ?? false));

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <SettingsTitle>{t('designer.objects.title')}</SettingsTitle>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setIsCreating(true)}>
          {t('designer.objects.create')}
        </Button>
      </Group>
      <Text c="dimmed" size="sm">{t('designer.objects.intro')}</Text>
      {isLoading ? <LoadingScreen /> : null}
      {error ? <Alert color="red" role="alert">{problemMessage(t, error)}</Alert> : null}
      {objects ? (
        <Table.ScrollContainer minWidth={560}>
          <Table verticalSpacing="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('designer.objects.object')}</Table.Th>
                <Table.Th>{t('designer.objects.apiName')}</Table.Th>
                <Table.Th>{t('designer.objects.kind')}</Table.Th>
                <Table.Th>{t('designer.objects.fieldCount')}</Table.Th>
                <Table.Th>{t('designer.objects.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sorted.map((object) => (
                <Table.Tr key={object.name}>
                  <Table.Td>
                    <Group gap="sm" wrap="nowrap">
                      <ObjectIcon object={object} size="md" />
                      <Anchor component={Link} to={designerPaths.object(object.name)} fw={500}>{labels.objectPlural(object)}</Anchor>
                    </Group>
                  </Table.Td>
                  <Table.Td><Text ff="monospace" size="sm">{object.name}</Text></Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={object.isStandard ? 'gray' : 'teal'}>{object.isStandard ? t('designer.standard') : t('designer.custom')}</Badge>
                  </Table.Td>
                  <Table.Td>{object.fields.length}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button component={Link} to={designerPaths.object(object.name)} size="compact-sm" variant="default" aria-label={t('designer.objects.fieldsOf', { name: labels.objectPlural(object) })}>
                        {t('designer.objects.fields')}
                      </Button>
                      <Button component={Link} to={designerPaths.layout(object.name)} size="compact-sm" variant="default" aria-label={t('designer.objects.layoutOf', { name: labels.objectPlural(object) })}>
                        {t('designer.objects.layout')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : null}
      <RestoreObjectForm />
      <CreateObjectModal opened={isCreating} onClose={() => setIsCreating(false)} />
    </Stack>
  );
};
