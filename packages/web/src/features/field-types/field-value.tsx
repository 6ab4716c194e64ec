import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { IconCheck, IconMinus, IconPhonePlus } from '@tabler/icons-react';
import { DEFAULT_THEME } from '@mantine/core';
import { formatPhone } from '@rapport/common/values/phone';
import { memo, type CSSProperties } from 'react';
import type { ApiRecord } from '../../api/types.ts';
import { requestCallLog } from '../../components/ui/call-request.ts';
import { findObject, paths, recordTitleOf } from '../object-record/metadata.ts';
import { valueKindOf } from './field-kind.ts';
import classes from './field-value.module.css';
import { htmlToText } from './html-text.ts';
import { ReferenceLink } from './reference-link.tsx';
import { useValueContext } from './value-context.tsx';

export interface FieldValueProps {
  object: ObjectDefinition;
  field: FieldDefinition;
  value: unknown;
  /** All objects, to name related records. */
  objects: readonly ObjectDefinition[];
  /** Cells show one line; the record page shows everything. */
  isCompact?: boolean;
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === null || value === undefined || value === '' ? [] : [value]);

const PALETTE = new Set(Object.keys(DEFAULT_THEME.colors));

/** A Mantine palette name gets its "light" pair (AA contrast in both schemes); any other CSS colour marks the chip's edge. */
const chipStyle = (color: string): CSSProperties =>
  PALETTE.has(color)
    ? { background: `var(--mantine-color-${color}-light)`, color: `var(--mantine-color-${color}-light-color)` }
    : { boxShadow: `inset 3px 0 0 ${color}` };

// Stored in E.164 (+442079460000), shown grouped as people write them (+44 20 7946 0000); each number is
// formatted once, a table shows it on every render.
const phoneTexts = new Map<string, string>();
const displayPhone = (e164: string): string => {
  let text = phoneTexts.get(e164);
  if (text === undefined) {
    text = formatPhone(e164);
    if (phoneTexts.size > 5000) phoneTexts.clear();
    phoneTexts.set(e164, text);
  }
  return text;
};

const isEmpty = (value: unknown) => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

// Plain elements, no component kit, no router links (app-links.ts): a table renders thousands of these.
const FieldValueView = ({ object, field, value, objects, isCompact = false }: FieldValueProps) => {
  const { t, format, labels, userName, emptyLabel } = useValueContext();
  const kind = valueKindOf(field);
  const precision = field.options?.precision;
  const line = isCompact ? classes.line : classes.block;
  if (isEmpty(value)) {
    return (
      <span className={classes.empty} aria-label={emptyLabel}>
        —
      </span>
    );
  }

  switch (kind) {
    case 'text':
    case 'longText':
      return <span className={line}>{String(value)}</span>;
    case 'richText':
      // Never rendered as HTML: shown as its text.
      return <span className={line}>{htmlToText(String(value))}</span>;
    case 'number':
      return <span>{typeof value === 'number' ? format.number(value, precision) : String(value)}</span>;
    case 'percent':
      return <span>{typeof value === 'number' ? format.percent(value, precision) : String(value)}</span>;
    case 'rating': {
      const max = field.options?.max ?? 5;
      const rating = Math.max(0, Math.min(Number(value), max));
      return (
        <span className={classes.rating} role="img" aria-label={t('fieldValue.rating', { value: rating, max })}>
          {'★'.repeat(rating)}
          {'☆'.repeat(max - rating)}
        </span>
      );
    }
    case 'currency': {
      const money = value as { amount?: number; currency?: string };
      return <span>{typeof money.amount === 'number' ? format.currency(money.amount, money.currency ?? 'EUR', precision) : '—'}</span>;
    }
    case 'boolean':
      return (
        <span className={classes.inline}>
          {value ? <IconCheck size={16} aria-hidden /> : <IconMinus size={16} aria-hidden />}
          {value ? t('fieldValue.yes') : t('fieldValue.no')}
        </span>
      );
    case 'date':
      return <span>{format.date(String(value))}</span>;
    case 'datetime':
      return <span>{format.dateTime(String(value))}</span>;
    case 'select':
    case 'multiSelect': {
      const choices = field.options?.choices ?? [];
      return (
        <span className={isCompact ? classes.listLine : classes.list}>
          {asList(value).map((item) => {
            const choice = choices.find((candidate) => candidate.value === item);
            const color = choice?.color ?? 'gray';
            return (
              <span key={String(item)} className={classes.chip} style={chipStyle(color)}>
                {choice ? labels.choice(object, field, choice) : String(item)}
              </span>
            );
          })}
        </span>
      );
    }
    case 'email':
    case 'phone':
    case 'url':
      return (
        <span className={isCompact ? classes.listLine : classes.list}>
          {asList(value).map((item) => {
            const text = String(item);
            const href = kind === 'email' ? `mailto:${text}` : kind === 'phone' ? `tel:${text}` : text;
            return (
              <span key={text} className={classes.nowrap}>
                <a href={href} className={classes.link} {...(kind === 'url' ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
                  {kind === 'url' ? text.replace(/^https?:\/\//, '') : kind === 'phone' ? displayPhone(text) : text}
                </a>
                {/* The number dials (tel:); beside it, on the record page, the call is logged. */}
                {kind === 'phone' && !isCompact ? (
                  <button type="button" className={classes.inlineAction} aria-label={t('telephony.logACall')} title={t('telephony.logACall')} onClick={() => requestCallLog({ phone: text })}>
                    <IconPhonePlus size={14} aria-hidden />
                  </button>
                ) : null}
              </span>
            );
          })}
        </span>
      );
    case 'address': {
      const address = value as Record<string, unknown>;
      const country = typeof address.country === 'string' ? format.country(address.country) : undefined;
      const parts = [address.street, [address.postalCode, address.city].filter(Boolean).join(' '), address.region, country].filter((part) => typeof part === 'string' && part !== '');
      return parts.length ? <span className={line}>{parts.join(', ')}</span> : <span className={classes.empty}>—</span>;
    }
    case 'relation': {
      const target = field.options?.target;
      const targetObject = findObject(objects, target);
      return (
        <span className={isCompact ? classes.listLine : classes.list}>
          {asList(value).map((item, index) => {
            const record = item && typeof item === 'object' ? (item as ApiRecord) : undefined;
            const id = record?.id ?? (typeof item === 'string' ? item : undefined);
            if (!id || !target) return null;
            return (
              <a key={id ?? index} href={paths.record(target, id)} className={classes.link} data-app-link>
                {recordTitleOf(targetObject, record) ?? (record ? t('fieldValue.untitled') : id.slice(0, 8))}
              </a>
            );
          })}
        </span>
      );
    }
    case 'owner':
      return <span>{typeof value === 'string' ? userName(value) : '—'}</span>;
    case 'json':
      return <code className={classes.code}>{JSON.stringify(value).slice(0, isCompact ? 80 : 2000)}</code>;
    case 'reference':
      return <ReferenceLink field={field} value={value} objects={objects} isCompact={isCompact} />;
    default:
      return kind satisfies never;
  }
};

/** A field value shown read-only, formatted for the interface language. */
export const FieldValue = memo(FieldValueView);
