import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Alert, Anchor, Group, List, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconCopy } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { buildRecordBody, type FormValue } from '../field-types/form-values.ts';
import { useSentenceLabels } from '../object-record/labels.ts';
import { paths, recordTitleOf } from '../object-record/metadata.ts';
import { useDuplicateCheck } from './duplicates-api.ts';
import { ReasonBadges } from './reason-badges.tsx';

const COMPARED = new Set(['text', 'email', 'phone', 'url']);
const DEBOUNCE_MS = 400;
// The light yellow's own title colour is too pale to read (WCAG contrast): the text colour instead.
const READABLE_TITLE = { title: { color: 'var(--mantine-color-text)' } };

// Only what the server compares travels: names, emails, phones and web addresses.
const comparedBody = (fields: FieldDefinition[], values: Record<string, FormValue>) => {
  const { body } = buildRecordBody({ fields: fields.filter((field) => COMPARED.has(field.type)), values });
  return Object.fromEntries(Object.entries(body).filter(([, value]) => (typeof value === 'string' ? value.trim().length >= 3 : Array.isArray(value) && value.length > 0)));
};

/**
 * The create form's "This looks like …": records like what is being typed, checked 400 ms after the
 * last key. It never blocks saving.
 */
export const CreateDuplicateNotice = ({ object, fields, values }: { object: ObjectDefinition; fields: FieldDefinition[]; values: Record<string, FormValue> }) => {
  const { t } = useTranslation();
  const labels = useSentenceLabels();
  const body = useMemo(() => comparedBody(fields, values), [fields, values]);
  const [debounced] = useDebouncedValue(body, DEBOUNCE_MS);
  const check = useDuplicateCheck({ object: object.name, body: debounced, enabled: Object.keys(debounced).length > 0 });
  const candidates = Object.keys(debounced).length > 0 ? (check.data ?? []) : [];

  return (
    <div role="status" aria-live="polite">
      {candidates.length > 0 ? (
        <Alert color="yellow" variant="light" icon={<IconCopy aria-hidden />} styles={READABLE_TITLE} title={t('duplicates.create.title', { name: labels.objectSingular(object) })} mb="md" role="group">
          <Text size="sm" mb="xs">{t('duplicates.create.description')}</Text>
          <List size="sm" spacing={6}>
            {candidates.map((candidate) => (
              <List.Item key={candidate.record.id}>
                <Group gap="xs" wrap="wrap">
                  <Anchor component={Link} to={paths.record(object.name, candidate.record.id)} target="_blank" rel="noopener">
                    {recordTitleOf(object, candidate.record) ?? t('fieldValue.untitled')}
                  </Anchor>
                  <ReasonBadges reasons={candidate.reasons} />
                </Group>
              </List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
    </div>
  );
};
