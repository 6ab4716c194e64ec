import type { ObjectDefinition } from '@rapport/common';
import { Alert, Badge, Button, Checkbox, Group, Menu, Modal, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconBookmark, IconChevronDown, IconDeviceFloppy, IconTrash } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../api/problem-messages.ts';
import { notify } from '../../components/ui/notify.ts';
import { useLabels, useSentenceLabels } from '../object-record/labels.ts';
import {
  applySavedMapping,
  hasBlockingProblems,
  mappingForFile,
  mappingProblems,
  savedMappingFit,
  targetLabelOf,
  type ImportMapping,
  type ImportTarget,
} from './import-model.ts';
import { useDeleteMapping, useSaveMapping, useSavedMappings } from './imports-api.ts';
import classes from './imports.module.css';

const SKIP = '__skip__';

export interface MappingStepProps {
  object: ObjectDefinition;
  headers: string[];
  samples: Record<string, string[]>;
  targets: ImportTarget[];
  mapping: ImportMapping;
  onMappingChange(mapping: ImportMapping): void;
  suggested: ImportMapping;
  upsertOn: string | null;
  upsertFields: { value: string; label: string }[];
  onUpsertOnChange(value: string | null): void;
  createRelated: boolean;
  onCreateRelatedChange(value: boolean): void;
  isLoading: boolean;
  error: string | null;
  onBack(): void;
  onNext(): void;
}

const SaveMappingButton = ({ object, mapping, upsertOn }: { object: ObjectDefinition; mapping: ImportMapping; upsertOn: string | null }) => {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const save = useSaveMapping();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    save.mutate(
      { name: name.trim(), object: object.name, mapping, upsertOn },
      {
        onSuccess: (saved) => {
          setOpen(false);
          setName('');
          notify({ message: t('imports.mapping.saved', { name: saved.name }) });
        },
      },
    );
  };
  return (
    <>
      <Button variant="default" leftSection={<IconDeviceFloppy size={16} aria-hidden />} onClick={() => setOpen(true)}>
        {t('imports.mapping.save')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('imports.mapping.saveTitle')} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
        <form onSubmit={submit}>
          <Stack gap="md">
            <TextInput
              label={t('imports.mapping.saveName')}
              description={t('imports.mapping.saveHelp')}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              required
              data-autofocus
              error={save.error ? problemMessage(t, save.error) : undefined}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={save.isPending} disabled={!name.trim()}>
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
};

/** Saved mappings of the object, best fit for this file first: pick one to apply, or delete one. */
const SavedMappingsMenu = ({ object, headers, onApply }: { object: ObjectDefinition; headers: string[]; onApply(mapping: ImportMapping, upsertOn: string | null, name: string): void }) => {
  const { t } = useTranslation();
  const { data: saved = [] } = useSavedMappings(object.name);
  const remove = useDeleteMapping();
  const sorted = useMemo(() => [...saved].sort((a, b) => savedMappingFit(headers, b.mapping) - savedMappingFit(headers, a.mapping)), [saved, headers]);
  // Nothing saved yet: no menu (a menu without items); "Save this mapping" is beside it.
  if (sorted.length === 0) return null;
  return (
    <Menu position="bottom-start" shadow="md" width={320} withinPortal transitionProps={{ duration: 0 }}>
      <Menu.Target>
        <Button variant="default" leftSection={<IconBookmark size={16} aria-hidden />} rightSection={<IconChevronDown size={14} aria-hidden />}>
          {t('imports.mapping.savedMappings')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('imports.mapping.applySaved')}</Menu.Label>
        {sorted.map((entry) => (
          <Menu.Item key={entry.id} onClick={() => onApply(entry.mapping, entry.upsertOn, entry.name)}>
            <Text size="sm">{entry.name}</Text>
            <Text size="xs" c="dimmed">
              {t('imports.mapping.fit', { count: savedMappingFit(headers, entry.mapping), total: headers.length })}
            </Text>
          </Menu.Item>
        ))}
        <Menu.Divider />
        {sorted.map((entry) => (
          <Menu.Item key={entry.id} leftSection={<IconTrash size={16} color="var(--mantine-color-red-filled)" aria-hidden />} closeMenuOnClick={false} disabled={remove.isPending} onClick={() => remove.mutate(entry)}>
            {t('imports.mapping.deleteSaved', { name: entry.name })}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
};

/** Step 2: each column of the file → a field, a related record's field, or nothing; how to match; saved mappings. */
export const MappingStep = (props: MappingStepProps) => {
  const { object, headers, samples, targets, mapping, onMappingChange, suggested, upsertOn, upsertFields, onUpsertOnChange, createRelated, onCreateRelatedChange } = props;
  const { t } = useTranslation();
  const labels = useLabels();
  const sentence = useSentenceLabels();
  const problems = mappingProblems(object, mapping, upsertOn);
  const validTargets = useMemo(() => new Set(targets.map((target) => target.value)), [targets]);
  const hasRelated = targets.some((target) => target.group !== '');
  const ownGroup = t('imports.mapping.ownFields', { name: labels.objectSingular(object) });

  // Grouped: skip, the object's own fields, then one group per relation.
  const data = useMemo(() => {
    const groups = new Map<string, { value: string; label: string }[]>();
    for (const target of targets) {
      const group = target.group || ownGroup;
      groups.set(group, [...(groups.get(group) ?? []), { value: target.value, label: target.label }]);
    }
    return [{ group: t('imports.mapping.skipGroup'), items: [{ value: SKIP, label: t('imports.mapping.skip') }] }, ...[...groups].map(([group, items]) => ({ group, items }))];
  }, [targets, ownGroup, t]);

  const apply = (saved: ImportMapping, savedUpsertOn: string | null, name: string) => {
    onMappingChange(applySavedMapping(headers, mapping, saved, validTargets));
    onUpsertOnChange(savedUpsertOn && upsertFields.some((field) => field.value === savedUpsertOn) ? savedUpsertOn : null);
    notify({ message: t('imports.mapping.applied', { name }) });
  };

  const mappedCount = Object.values(mapping).filter(Boolean).length;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <Text size="sm" c="dimmed" maw={640}>
          {t('imports.mapping.intro', { mapped: mappedCount, total: headers.length })}
        </Text>
        <Group gap="sm">
          <Button variant="subtle" onClick={() => onMappingChange(mappingForFile(headers, suggested, new Set(targets.map((target) => target.value))))}>
            {t('imports.mapping.resetSuggested')}
          </Button>
          <SavedMappingsMenu object={object} headers={headers} onApply={apply} />
          <SaveMappingButton object={object} mapping={mappingForFile(headers, mapping)} upsertOn={upsertOn} />
        </Group>
      </Group>
      {problems.missingRequired.length > 0 ? (
        <Alert color="red" role="alert" title={t('imports.mapping.requiredTitle')}>
          {t('imports.mapping.required', { fields: problems.missingRequired.map((field) => labels.field(object, field)).join(', ') })}
        </Alert>
      ) : null}
      {problems.isEmpty ? (
        <Alert color="red" role="alert">
          {t('imports.mapping.nothingMapped')}
        </Alert>
      ) : null}
      <div className={classes.tableScroll}>
        <Table verticalSpacing="xs" striped aria-label={t('imports.mapping.tableLabel')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('imports.mapping.column')}</Table.Th>
              <Table.Th>{t('imports.mapping.samples')}</Table.Th>
              <Table.Th w={360}>{t('imports.mapping.target')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {headers.map((header) => {
              const target = mapping[header] ?? null;
              const isDuplicate = target !== null && problems.duplicates.has(target);
              const values = samples[header] ?? [];
              const wasSuggested = target !== null && suggested[header] === target;
              return (
                <Table.Tr key={header}>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={600}>
                        {header}
                      </Text>
                      {wasSuggested ? (
                        <Badge size="xs" variant="light" color="teal">
                          {t('imports.mapping.suggested')}
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td className={classes.samples}>
                    {values.length === 0 ? (
                      <Text size="sm" c="dimmed" fs="italic">
                        {t('imports.mapping.noSamples')}
                      </Text>
                    ) : (
                      values.map((value, index) => (
                        <Text key={index} size="sm" className={classes.sample} title={value}>
                          {value}
                        </Text>
                      ))
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Select
                      aria-label={t('imports.mapping.targetFor', { column: header })}
                      data={data}
                      value={target ?? SKIP}
                      onChange={(value) => onMappingChange({ ...mapping, [header]: !value || value === SKIP ? null : value })}
                      searchable
                      allowDeselect={false}
                      maxDropdownHeight={320}
                      comboboxProps={{ withinPortal: true }}
                      error={isDuplicate ? t('imports.mapping.duplicate', { target: targetLabelOf(targets, target) }) : undefined}
                      styles={target === null ? { input: { color: 'var(--mantine-color-dimmed)' } } : undefined}
                    />
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      </div>
      <Group align="flex-start" gap="xl" wrap="wrap">
        <Select
          label={t('imports.mapping.upsertOn')}
          description={t('imports.mapping.upsertHelp', { name: sentence.objectPlural(object) })}
          data={[{ value: SKIP, label: t('imports.mapping.alwaysCreate') }, ...upsertFields]}
          value={upsertOn ?? SKIP}
          onChange={(value) => onUpsertOnChange(!value || value === SKIP ? null : value)}
          allowDeselect={false}
          w={360}
          error={problems.upsertUnmapped && upsertOn ? t('imports.mapping.upsertUnmapped', { field: upsertFields.find((field) => field.value === upsertOn)?.label ?? upsertOn }) : undefined}
        />
        {hasRelated ? (
          <Checkbox
            mt={28}
            maw={420}
            label={t('imports.mapping.createRelated')}
            description={t('imports.mapping.createRelatedHelp')}
            checked={createRelated}
            onChange={(event) => onCreateRelatedChange(event.currentTarget.checked)}
          />
        ) : null}
      </Group>
      {props.error ? (
        <Alert color="red" role="alert">
          {props.error}
        </Alert>
      ) : null}
      <Group>
        <Button variant="default" onClick={props.onBack}>
          {t('common.back')}
        </Button>
        <Button onClick={props.onNext} loading={props.isLoading} disabled={hasBlockingProblems(problems)}>
          {t('imports.mapping.next')}
        </Button>
      </Group>
    </Stack>
  );
};
