import type { FieldDefinition, FieldType, ObjectDefinition } from '@rapport/common';
import { FORMULA_RESULT_TYPES } from '@rapport/common';
import { ActionIcon, Alert, Button, Checkbox, Group, Modal, MultiSelect, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';
import { problemMessage, splitFieldErrors } from '../../../api/problem-messages.ts';
import { useObjects } from '../../../api/queries.ts';
import { notify } from '../../../components/ui/notify.ts';
import { useLabels } from '../../object-record/labels.ts';
import { ChoicesEditor } from './choices-editor.tsx';
import { createField, updateField, useMetadataRefresh } from './designer-api.ts';
import {
  canBeEncrypted,
  canBeRequired,
  canBeUnique,
  CREATABLE_TYPES,
  draftFieldOfError,
  draftOf,
  emptyDraft,
  hasMultiple,
  hasTextDefault,
  toApiName,
  toFieldDefinition,
  toFieldPatch,
  type FieldDraft,
} from './designer-model.ts';
import { EncryptFieldSection } from './encrypt-field-section.tsx';
import { ExpressionInput } from './expression-input.tsx';

const CURRENCIES = Intl.supportedValuesOf('currency');
const FORM_FIELDS = ['type', 'label', 'name', 'helpText', 'required', 'unique', 'defaultValue', 'choices', 'currency', 'conversionDateField', 'target', 'targets', 'expression', 'multiple', 'encrypted', 'options', 'validation'];

export interface FieldEditorModalProps {
  object: ObjectDefinition;
  /** The field to edit; absent to create one. */
  field?: FieldDefinition | undefined;
  opened: boolean;
  onClose(): void;
}

const FieldEditorForm = ({ object, field, onClose }: Omit<FieldEditorModalProps, 'opened'>) => {
  const { t, i18n } = useTranslation();
  const labels = useLabels();
  const refresh = useMetadataRefresh();
  const { data: objects = [] } = useObjects();
  const [draft, setDraft] = useState<FieldDraft>(() => (field ? draftOf(field) : emptyDraft('text')));
  const [isNameEdited, setIsNameEdited] = useState(Boolean(field));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [isBusy, setIsBusy] = useState(false);
  const isNew = !field;
  const name = isNameEdited ? draft.name : toApiName(draft.label);
  const savedChoiceValues = useMemo(() => new Set((field?.options?.choices ?? []).map((choice) => choice.value)), [field]);
  const set = <K extends keyof FieldDraft>(key: K, value: FieldDraft[K]) => {
    setDraft((previous) => ({ ...previous, [key]: value }));
    if (errors[key as string]) setErrors(({ [key as string]: _removed, ...rest }) => rest);
  };
  const ruleKeys = draft.rules.map((_, i) => `rule${i}`);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors({});
    setGeneral([]);
    const complete = { ...draft, name };
    try {
      if (field) {
        const patch = toFieldPatch(complete, field);
        if (Object.keys(patch).length > 0) await updateField(object.name, field.name, patch);
      } else {
        await createField(object.name, toFieldDefinition(complete));
      }
      await refresh(object.name);
      notify({ message: t(isNew ? 'designer.field.created' : 'designer.field.saved', { name: complete.label.trim() }) });
      onClose();
    } catch (error) {
      if (isApiError(error) && error.fieldErrors.length > 0) {
        const mapped = error.fieldErrors.map((fieldError) => ({ ...fieldError, field: draftFieldOfError(fieldError.field) }));
        const split = splitFieldErrors(t, i18n.resolvedLanguage ?? 'en', mapped, new Set([...FORM_FIELDS, ...ruleKeys]));
        setErrors(split.byField);
        setGeneral(split.general);
      } else {
        setGeneral([problemMessage(t, error)]);
      }
    } finally {
      setIsBusy(false);
    }
  };

  const typeOptions = CREATABLE_TYPES.map((type) => ({ value: type, label: t(`designer.types.${type}`) }));
  const targetOptions = objects.map((target) => ({ value: target.name, label: labels.objectSingular(target) }));
  // A reference may point to objects since deleted: they stay listed until taken out.
  const referenceOptions = [...targetOptions, ...draft.targets.filter((name) => !objects.some((target) => target.name === name)).map((name) => ({ value: name, label: name }))].sort((a, b) => a.label.localeCompare(b.label));

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        {general.length > 0 ? (
          <Alert color="red" role="alert" title={t('designer.field.notSaved')}>
            {general.map((message) => <div key={message}>{message}</div>)}
          </Alert>
        ) : null}
        <Select
          label={t('designer.field.type')}
          description={isNew ? t('designer.field.typeHelp') : t('designer.field.typeFixed')}
          data={typeOptions}
          value={draft.type}
          onChange={(value) => value && set('type', value as FieldType)}
          disabled={!isNew}
          allowDeselect={false}
          searchable
          error={errors.type}
        />
        <Group grow align="flex-start">
          <TextInput label={t('designer.field.label')} required value={draft.label} onChange={(e) => set('label', e.currentTarget.value)} error={errors.label} data-autofocus />
          <TextInput
            label={t('designer.field.apiName')}
            description={field?.isStandard ? t('designer.field.standardName') : t('designer.field.apiNameHelp')}
            required
            value={name}
            readOnly={field?.isStandard}
            onChange={(e) => {
              setIsNameEdited(true);
              set('name', e.currentTarget.value);
            }}
            error={errors.name}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
        </Group>
        <TextInput label={t('designer.field.helpText')} description={t('designer.field.helpTextHelp')} value={draft.helpText} onChange={(e) => set('helpText', e.currentTarget.value)} error={errors.helpText} />

        {draft.type === 'select' || draft.type === 'multiSelect' ? (
          <ChoicesEditor choices={draft.choices} onChange={(choices) => set('choices', choices)} savedValues={savedChoiceValues} error={errors.choices} />
        ) : null}
        {draft.type === 'currency' ? (
          <>
            <Select label={t('designer.field.currency')} description={t('designer.field.currencyHelp')} data={CURRENCIES} searchable clearable value={draft.currency || null} onChange={(value) => set('currency', value ?? '')} error={errors.currency} />
            <Select
              label={t('currency.conversionDateField')}
              description={t('currency.conversionDateFieldHelp')}
              data={object.fields.filter((candidate) => (candidate.type === 'date' || candidate.type === 'datetime') && !candidate.options?.encrypted).map((candidate) => ({ value: candidate.name, label: labels.field(object, candidate) }))}
              clearable
              value={draft.conversionDateField || null}
              onChange={(value) => set('conversionDateField', value ?? '')}
              error={errors.conversionDateField}
            />
          </>
        ) : null}
        {draft.type === 'relation' ? (
          <>
            <Group grow align="flex-start">
              <Select label={t('designer.field.target')} required data={targetOptions} value={draft.target || null} onChange={(value) => set('target', value ?? '')} disabled={!isNew} searchable error={errors.target} />
              <Select
                label={t('designer.field.kind')}
                data={[{ value: 'manyToOne', label: t('designer.kinds.manyToOne') }, { value: 'manyToMany', label: t('designer.kinds.manyToMany') }]}
                value={draft.kind === 'oneToMany' ? 'manyToOne' : draft.kind}
                onChange={(value) => value && set('kind', value as FieldDraft['kind'])}
                disabled={!isNew}
                allowDeselect={false}
              />
            </Group>
            <TextInput label={t('designer.field.inverseLabel')} description={t('designer.field.inverseLabelHelp', { name: object.labelPlural })} value={draft.inverseLabel} onChange={(e) => set('inverseLabel', e.currentTarget.value)} />
          </>
        ) : null}
        {draft.type === 'reference' ? (
          <MultiSelect
            label={t('designer.field.targets')}
            description={t('designer.field.targetsHelp')}
            placeholder={draft.targets.length === 0 ? t('designer.field.anyObject') : undefined}
            data={referenceOptions}
            value={draft.targets}
            onChange={(value) => set('targets', value)}
            searchable
            clearable
            error={errors.targets}
          />
        ) : null}
        {draft.type === 'formula' ? (
          <>
            <Select
              label={t('designer.field.resultType')}
              data={FORMULA_RESULT_TYPES.map((type) => ({ value: type, label: t(`designer.resultTypes.${type}`) }))}
              value={draft.resultType}
              onChange={(value) => value && set('resultType', value as FieldDraft['resultType'])}
              allowDeselect={false}
            />
            <ExpressionInput
              object={object.name}
              label={t('designer.field.expression')}
              description={t('designer.field.expressionHelp')}
              required
              value={draft.expression}
              onChange={(value) => set('expression', value)}
              kind="formula"
              resultType={draft.resultType}
              {...(field ? { field: field.name } : {})}
              error={errors.expression}
            />
          </>
        ) : null}
        {hasTextDefault(draft.type) ? (
          draft.type === 'select' ? (
            <Select label={t('designer.field.defaultValue')} data={draft.choices.filter((choice) => choice.value).map((choice) => ({ value: choice.value, label: choice.label || choice.value }))} value={draft.defaultValue || null} onChange={(value) => set('defaultValue', value ?? '')} clearable error={errors.defaultValue} />
          ) : (
            <TextInput label={t('designer.field.defaultValue')} description={t('designer.field.defaultValueHelp')} value={draft.defaultValue} onChange={(e) => set('defaultValue', e.currentTarget.value)} error={errors.defaultValue} disabled={draft.encrypted} />
          )
        ) : null}

        <Group gap="lg" align="flex-start">
          {canBeRequired(draft.type) ? <Checkbox label={t('designer.field.required')} checked={draft.required} onChange={(e) => set('required', e.currentTarget.checked)} error={errors.required} /> : null}
          {canBeUnique(draft.type) ? <Checkbox label={t('designer.field.unique')} checked={draft.unique} onChange={(e) => set('unique', e.currentTarget.checked)} error={errors.unique} /> : null}
          {hasMultiple(draft.type) ? <Checkbox label={t('designer.field.multiple')} checked={draft.multiple} onChange={(e) => set('multiple', e.currentTarget.checked)} disabled={!isNew} error={errors.multiple} /> : null}
          {isNew && canBeEncrypted(draft.type) ? (
            <Checkbox label={t('designer.field.encrypted')} description={t('designer.field.encryptedHelp')} checked={draft.encrypted} onChange={(e) => set('encrypted', e.currentTarget.checked)} error={errors.encrypted} />
          ) : null}
        </Group>
        {field ? <EncryptFieldSection object={object} field={field} /> : null}

        {draft.type !== 'formula' ? (
          <Stack gap="xs" role="group" aria-label={t('designer.rules.title')}>
            <Text size="sm" fw={500}>{t('designer.rules.title')}</Text>
            <Text size="xs" c="dimmed">{isNew ? t('designer.rules.helpNew') : t('designer.rules.help')}</Text>
            {draft.rules.map((rule, index) => (
              <Group key={index} align="flex-start" wrap="nowrap" gap="xs">
                <div style={{ flex: 3 }}>
                  <ExpressionInput
                    object={object.name}
                    label={t('designer.rules.expression', { n: index + 1 })}
                    value={rule.expression}
                    onChange={(expression) => set('rules', draft.rules.map((r, i) => (i === index ? { ...r, expression } : r)))}
                    kind="rule"
                    {...(field ? { field: field.name } : {})}
                    isLive={!isNew}
                    error={errors[`rule${index}`]}
                  />
                </div>
                <TextInput style={{ flex: 2 }} label={t('designer.rules.message', { n: index + 1 })} value={rule.message} onChange={(e) => { const message = e.currentTarget.value; set('rules', draft.rules.map((r, i) => (i === index ? { ...r, message } : r))); }} />
                <ActionIcon mt={24} variant="default" size="lg" onClick={() => set('rules', draft.rules.filter((_, i) => i !== index))} aria-label={t('designer.rules.remove', { n: index + 1 })}>
                  <IconTrash size={16} aria-hidden />
                </ActionIcon>
              </Group>
            ))}
            <Group>
              <Button variant="default" size="compact-sm" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => set('rules', [...draft.rules, { expression: '', message: '' }])}>
                {t('designer.rules.add')}
              </Button>
            </Group>
          </Stack>
        ) : null}

        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" loading={isBusy}>{isNew ? t('designer.field.create') : t('common.save')}</Button>
        </Group>
      </Stack>
    </form>
  );
};

/** Create or edit a field: type (fixed once created), names, help, flags and the options of its type. */
export const FieldEditorModal = ({ object, field, opened, onClose }: FieldEditorModalProps) => {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={field ? t('designer.field.editTitle', { name: field.label }) : t('designer.field.createTitle')} closeButtonProps={{ 'aria-label': t('common.close') }} size="xl">
      {opened ? <FieldEditorForm key={field?.name ?? 'new'} object={object} field={field} onClose={onClose} /> : null}
    </Modal>
  );
};
