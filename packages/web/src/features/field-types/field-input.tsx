import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Checkbox, Fieldset, Group, Input, MultiSelect, NumberInput, Select, SimpleGrid, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiRecord } from '../../api/types.ts';
import { useUsers } from '../../api/queries.ts';
import { useLabels } from '../object-record/labels.ts';
import { valueKindOf } from './field-kind.ts';
import type { AddressFormValue, FormValue, MoneyFormValue, ReferenceFormValue } from './form-values.ts';
import { ReferenceInput } from './reference-input.tsx';
import { includedRecordOf } from './reference-value.ts';
import { RelationInput } from './relation-input.tsx';

export interface FieldInputProps {
  object: ObjectDefinition;
  field: FieldDefinition;
  objects: readonly ObjectDefinition[];
  value: FormValue;
  onChange(value: FormValue): void;
  /** The message next to the field (from the API's problem document). */
  error?: string | undefined;
  /** Related records read with the record, to name the current value of a relation (a reference's `{object, id, record}`). */
  relatedRecords?: ApiRecord[];
}

const ADDRESS_PARTS = ['street', 'city', 'postalCode', 'region', 'country'] as const;

const OwnerInput = ({ label, description, error, required, value, onChange }: { label: string; description?: string | undefined; error?: string | undefined; required?: boolean | undefined; value: string; onChange(value: string): void }) => {
  const { t } = useTranslation();
  const { data: users = [] } = useUsers();
  const data = users.map((user) => ({ value: user.id, label: user.name ?? user.email ?? user.id.slice(0, 8) }));
  if (value && !data.some((option) => option.value === value)) data.push({ value, label: value.slice(0, 8) });
  return <Select label={label} description={description} error={error} required={required} data={data} value={value || null} onChange={(id) => onChange(id ?? '')} clearable searchable placeholder={t('form.choose')} />;
};

/** The editor of one field in a create or edit form, with its label, help and error. */
export const FieldInput = ({ object, field, objects, value, onChange, error, relatedRecords }: FieldInputProps) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const errorId = useId();
  const kind = valueKindOf(field);
  const label = labels.field(object, field);
  const common = { label, description: field.helpText, required: Boolean(field.required), error };
  const text = typeof value === 'string' ? value : '';
  const list = Array.isArray(value) ? value : [];

  if (field.options?.multiple && (kind === 'email' || kind === 'phone' || kind === 'url')) {
    return <TagsInput {...common} value={list} onChange={onChange} placeholder={t('form.addValues')} />;
  }
  switch (kind) {
    case 'text':
      return <TextInput {...common} value={text} onChange={(event) => onChange(event.currentTarget.value)} maxLength={field.options?.maxLength} />;
    case 'longText':
    case 'richText':
      return <Textarea {...common} value={text} onChange={(event) => onChange(event.currentTarget.value)} autosize minRows={3} maxRows={12} />;
    case 'json':
      return <Textarea {...common} value={text} onChange={(event) => onChange(event.currentTarget.value)} autosize minRows={3} ff="monospace" />;
    case 'email':
      return <TextInput {...common} type="email" autoComplete="off" value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
    case 'phone':
      return <TextInput {...common} type="tel" autoComplete="off" value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
    case 'url':
      return <TextInput {...common} type="text" inputMode="url" value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
    case 'number':
    case 'percent':
    case 'rating':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' ? value : ''}
          onChange={(next) => onChange(next === '' ? '' : Number(next))}
          min={field.options?.min}
          max={field.options?.max}
          allowDecimal={kind !== 'rating'}
          decimalScale={field.options?.precision}
          rightSection={kind === 'percent' ? <span aria-hidden>%</span> : undefined}
        />
      );
    case 'currency': {
      const money = (value ?? { amount: '', currency: '' }) as MoneyFormValue;
      return (
        <Group align="flex-start" gap="xs" wrap="nowrap">
          <NumberInput {...common} style={{ flex: 1 }} value={money.amount} onChange={(next) => onChange({ ...money, amount: next === '' ? '' : Number(next) })} decimalScale={field.options?.precision ?? 2} />
          <TextInput
            label={t('form.currency')}
            w={96}
            maxLength={3}
            value={money.currency}
            placeholder="EUR"
            onChange={(event) => onChange({ ...money, currency: event.currentTarget.value.toUpperCase() })}
          />
        </Group>
      );
    }
    case 'boolean':
      return <Checkbox label={label} description={field.helpText} error={error} checked={value === true} onChange={(event) => onChange(event.currentTarget.checked)} mt="xs" />;
    case 'date':
      return <TextInput {...common} type="date" value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
    case 'datetime':
      return <TextInput {...common} type="datetime-local" value={text} onChange={(event) => onChange(event.currentTarget.value)} />;
    case 'select': {
      const data = (field.options?.choices ?? []).map((choice) => ({ value: choice.value, label: labels.choice(object, field, choice) }));
      return <Select {...common} data={data} value={text || null} onChange={(next) => onChange(next ?? '')} clearable placeholder={t('form.choose')} />;
    }
    case 'multiSelect': {
      const data = (field.options?.choices ?? []).map((choice) => ({ value: choice.value, label: labels.choice(object, field, choice) }));
      return <MultiSelect {...common} data={data} value={list} onChange={onChange} clearable placeholder={t('form.choose')} />;
    }
    case 'address': {
      const address = (value ?? {}) as AddressFormValue;
      return (
        <Fieldset
          legend={
            <Text span fw={600} size="sm">
              {label}
            </Text>
          }
          aria-describedby={error ? errorId : undefined}
          variant="unstyled"
        >
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs">
            {ADDRESS_PARTS.map((part) => (
              <TextInput key={part} label={t(`address.${part}`)} value={address[part] ?? ''} onChange={(event) => onChange({ ...address, [part]: event.currentTarget.value })} />
            ))}
          </SimpleGrid>
          {error ? <Input.Error id={errorId} mt={4}>{error}</Input.Error> : null}
        </Fieldset>
      );
    }
    case 'relation':
      return (
        <RelationInput
          {...common}
          field={field}
          objects={objects}
          value={Array.isArray(value) ? value : text}
          onChange={onChange}
          {...(relatedRecords ? { initialRecords: relatedRecords } : {})}
        />
      );
    case 'owner':
      return <OwnerInput {...common} value={text} onChange={onChange} />;
    case 'reference': {
      const reference = value && typeof value === 'object' && !Array.isArray(value) && 'id' in value ? (value as ReferenceFormValue) : { object: '', id: '' };
      const included = includedRecordOf(relatedRecords?.[0]);
      return <ReferenceInput {...common} field={field} objects={objects} value={reference} onChange={onChange} initialRecord={included ?? undefined} />;
    }
    default:
      return kind satisfies never;
  }
};
