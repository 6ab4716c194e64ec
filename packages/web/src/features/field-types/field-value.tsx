import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Anchor, Badge, Code, Group, Text } from '@mantine/core';
import { IconCheck, IconMinus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ApiRecord } from '../../api/types.ts';
import { useUsers } from '../../api/queries.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { useLabels } from '../object-record/labels.ts';
import { findObject, paths, recordTitleOf } from '../object-record/metadata.ts';
import { valueKindOf } from './field-kind.ts';
import { htmlToText } from './html-text.ts';

export interface FieldValueProps {
  object: ObjectDefinition;
  field: FieldDefinition;
  value: unknown;
  /** All objects, to name related records. */
  objects: readonly ObjectDefinition[];
  /** Cells show one line; the record page shows everything. */
  isCompact?: boolean;
}

const Empty = () => {
  const { t } = useTranslation();
  return (
    <Text span c="dimmed" aria-label={t('fieldValue.empty')}>
      —
    </Text>
  );
};

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === null || value === undefined || value === '' ? [] : [value]);

const RelatedLink = ({ objects, target, value }: { objects: readonly ObjectDefinition[]; target: string | undefined; value: unknown }) => {
  const { t } = useTranslation();
  const targetObject = findObject(objects, target);
  const record = value && typeof value === 'object' ? (value as ApiRecord) : undefined;
  const id = record?.id ?? (typeof value === 'string' ? value : undefined);
  if (!id || !target) return null;
  const title = recordTitleOf(targetObject, record) ?? t('fieldValue.untitled');
  return (
    <Anchor component={Link} to={paths.record(target, id)} size="sm">
      {title}
    </Anchor>
  );
};

const OwnerName = ({ id }: { id: string }) => {
  const { data: users } = useUsers();
  const user = users?.find((candidate) => candidate.id === id);
  return <Text span size="sm">{user?.name ?? user?.email ?? id.slice(0, 8)}</Text>;
};

/** A field value shown read-only, formatted for the interface language. */
export const FieldValue = ({ object, field, value, objects, isCompact = false }: FieldValueProps) => {
  const { t } = useTranslation();
  const format = useFormat();
  const labels = useLabels();
  const kind = valueKindOf(field);
  const precision = field.options?.precision;
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return <Empty />;

  switch (kind) {
    case 'text':
    case 'longText':
      return <Text span size="sm" lineClamp={isCompact ? 1 : undefined} style={{ whiteSpace: isCompact ? undefined : 'pre-wrap' }}>{String(value)}</Text>;
    case 'richText':
      // Never rendered as HTML: shown as its text.
      return <Text span size="sm" lineClamp={isCompact ? 1 : undefined} style={{ whiteSpace: 'pre-wrap' }}>{htmlToText(String(value))}</Text>;
    case 'number':
      return <Text span size="sm">{typeof value === 'number' ? format.number(value, precision) : String(value)}</Text>;
    case 'percent':
      return <Text span size="sm">{typeof value === 'number' ? format.percent(value, precision) : String(value)}</Text>;
    case 'rating': {
      const max = field.options?.max ?? 5;
      const rating = Number(value);
      return (
        <Text span size="sm" aria-label={t('fieldValue.rating', { value: rating, max })} c="yellow.7">
          <span aria-hidden>{'★'.repeat(Math.max(0, Math.min(rating, max)))}{'☆'.repeat(Math.max(0, max - rating))}</span>
        </Text>
      );
    }
    case 'currency': {
      const money = value as { amount?: number; currency?: string };
      return <Text span size="sm">{typeof money.amount === 'number' ? format.currency(money.amount, money.currency ?? 'EUR', precision) : '—'}</Text>;
    }
    case 'boolean':
      return value ? (
        <Group gap={4} wrap="nowrap"><IconCheck size={16} aria-hidden /><Text span size="sm">{t('fieldValue.yes')}</Text></Group>
      ) : (
        <Group gap={4} wrap="nowrap"><IconMinus size={16} aria-hidden /><Text span size="sm">{t('fieldValue.no')}</Text></Group>
      );
    case 'date':
      return <Text span size="sm">{format.date(String(value))}</Text>;
    case 'datetime':
      return <Text span size="sm">{format.dateTime(String(value))}</Text>;
    case 'select':
    case 'multiSelect': {
      const choices = field.options?.choices ?? [];
      return (
        <Group gap={4} wrap={isCompact ? 'nowrap' : 'wrap'}>
          {asList(value).map((item) => {
            const choice = choices.find((candidate) => candidate.value === item);
            return (
              <Badge key={String(item)} color={choice?.color ?? 'gray'} variant="light" radius="sm" tt="none">
                {choice ? labels.choice(object, field, choice) : String(item)}
              </Badge>
            );
          })}
        </Group>
      );
    }
    case 'email':
    case 'phone':
    case 'url':
      return (
        <Group gap={8} wrap={isCompact ? 'nowrap' : 'wrap'}>
          {asList(value).map((item) => {
            const text = String(item);
            const href = kind === 'email' ? `mailto:${text}` : kind === 'phone' ? `tel:${text}` : text;
            return (
              <Anchor key={text} href={href} size="sm" {...(kind === 'url' ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
                {kind === 'url' ? text.replace(/^https?:\/\//, '') : text}
              </Anchor>
            );
          })}
        </Group>
      );
    case 'address': {
      const address = value as Record<string, unknown>;
      const country = typeof address.country === 'string' ? format.country(address.country) : undefined;
      const parts = [address.street, [address.postalCode, address.city].filter(Boolean).join(' '), address.region, country].filter((part) => typeof part === 'string' && part !== '');
      return parts.length ? <Text span size="sm" lineClamp={isCompact ? 1 : undefined}>{parts.join(', ')}</Text> : <Empty />;
    }
    case 'relation':
      return (
        <Group gap={8} wrap={isCompact ? 'nowrap' : 'wrap'}>
          {asList(value).map((item, index) => (
            <RelatedLink key={typeof item === 'string' ? item : ((item as ApiRecord)?.id ?? index)} objects={objects} target={field.options?.target} value={item} />
          ))}
        </Group>
      );
    case 'owner':
      return typeof value === 'string' ? <OwnerName id={value} /> : <Empty />;
    case 'json':
      return <Code>{JSON.stringify(value).slice(0, isCompact ? 80 : 2000)}</Code>;
    default:
      return kind satisfies never;
  }
};
