import type { ObjectDefinition } from '@rapport/common';
import { Alert, Anchor, Button, Group, List, Text } from '@mantine/core';
import { IconArrowMerge, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ApiRecord } from '../../api/types.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { paths, recordTitleOf } from '../object-record/metadata.ts';
import { useRecordDuplicates } from './duplicates-api.ts';
import { canMerge, duplicatePaths } from './duplicate-paths.ts';
import { ReasonBadges } from './reason-badges.tsx';

// The light yellow's own title colour is too pale to read (WCAG contrast): the text colour instead.
const READABLE_TITLE = { title: { color: 'var(--mantine-color-text)' } };

/** The record page's "Possible duplicates": records like this one, each with a way to the merge screen. */
export const RecordDuplicatesNotice = ({ object, record }: { object: ObjectDefinition; record: ApiRecord }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const duplicates = useRecordDuplicates({ object: object.name, id: record.id });
  const candidates = duplicates.data ?? [];
  if (candidates.length === 0) return null;

  return (
    <Alert color="yellow" variant="light" icon={<IconCopy aria-hidden />} styles={READABLE_TITLE} title={t('duplicates.record.title', { count: candidates.length })} role="region">
      <List size="sm" spacing="xs" listStyleType="none" ml={0} pl={0}>
        {candidates.map((candidate) => {
          const title = recordTitleOf(object, candidate.record) ?? t('fieldValue.untitled');
          return (
            <List.Item key={candidate.record.id}>
              <Group gap="sm" wrap="wrap">
                <Anchor component={Link} to={paths.record(object.name, candidate.record.id)} fw={500}>
                  {title}
                </Anchor>
                <ReasonBadges reasons={candidate.reasons} />
                <Text size="xs" c="dimmed">{t('duplicates.score', { score: format.percent(Math.round(candidate.score * 100), 0) })}</Text>
                {canMerge(object) ? (
                  <Button component={Link} to={duplicatePaths.merge(object.name, record.id, candidate.record.id)} size="compact-sm" variant="light" leftSection={<IconArrowMerge size={14} aria-hidden />}
                    aria-label={t('duplicates.record.compareWith', { name: title })}>
                    {t('duplicates.record.compare')}
                  </Button>
                ) : null}
              </Group>
            </List.Item>
          );
        })}
      </List>
    </Alert>
  );
};
