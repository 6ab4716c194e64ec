import type { ConfigurationChange, ConfigurationChangeAction } from '@rapport/common';
import { Alert, Badge, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowRight } from '@tabler/icons-react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { groupChangesBySection, propertyDifferences, summariseChanges, valueHighlights } from './diff-model.ts';

const ACTION_STYLE: Record<ConfigurationChangeAction, { sign: string; color: string }> = {
  add: { sign: '+', color: 'green' },
  change: { sign: '~', color: 'blue' },
  remove: { sign: '−', color: 'red' },
};

/** "+ Added" / "~ Changed" / "− Removed": the sign for the eye, the word for everyone. */
const ActionBadge = ({ action }: { action: ConfigurationChangeAction }) => {
  const { t } = useTranslation();
  const style = ACTION_STYLE[action];
  return (
    <Badge variant="light" color={style.color} leftSection={<span aria-hidden>{style.sign}</span>} style={{ flexShrink: 0 }}>
      {t(`sandboxes.diff.actions.${action}`)}
    </Badge>
  );
};

const Details = ({ change }: { change: ConfigurationChange }) => {
  const { t } = useTranslation();
  const differences = propertyDifferences(change);
  // What an added thing will be, or what a removed one was.
  const highlights = change.action === 'add' ? valueHighlights(change.after) : change.action === 'remove' ? valueHighlights(change.before) : [];
  const empty = <Text span size="sm" c="dimmed">{t('sandboxes.diff.empty')}</Text>;
  return (
    <Stack gap={4}>
      {highlights.length > 0 ? (
        <Text size="sm" c={change.action === 'remove' ? 'dimmed' : undefined} td={change.action === 'remove' ? 'line-through' : undefined} style={{ wordBreak: 'break-word' }}>
          {highlights.join(' · ')}
        </Text>
      ) : null}
      {differences.map((difference) => (
        <Group key={difference.property ?? ''} gap={6} wrap="wrap" align="baseline">
          {difference.property ? <Text span size="sm" fw={500}>{difference.property}:</Text> : null}
          {difference.before === null && difference.after === null ? null : (
            <>
              <Text span size="sm" td="line-through" c="dimmed">{difference.before ?? empty}</Text>
              <IconArrowRight size={14} aria-label={t('sandboxes.diff.becomes')} />
              <Text span size="sm">{difference.after ?? empty}</Text>
            </>
          )}
        </Group>
      ))}
      {change.destructive ? (
        <Group gap={6} wrap="nowrap" align="flex-start">
          <IconAlertTriangle size={16} color="var(--mantine-color-orange-filled)" aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
          <Text size="sm" fw={500}>{t(change.action === 'remove' ? 'sandboxes.diff.removesData' : 'sandboxes.diff.changesData')}</Text>
        </Group>
      ) : null}
    </Stack>
  );
};

const SectionTable = ({ section, changes, headingOrder }: { section: string; changes: ConfigurationChange[]; headingOrder: 2 | 3 }) => {
  const { t } = useTranslation();
  const headingId = useId();
  return (
    <Stack gap={6}>
      <Title order={headingOrder} size="h5" id={headingId}>
        {t(`sandboxes.sections.${section}`, { defaultValue: section })} <Text span c="dimmed" size="sm">({changes.length})</Text>
      </Title>
      <Table.ScrollContainer minWidth={560}>
        <Table verticalSpacing="xs" aria-labelledby={headingId} withTableBorder layout="fixed">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={140}>{t('sandboxes.diff.change')}</Table.Th>
              <Table.Th w="32%">{t('sandboxes.diff.what')}</Table.Th>
              <Table.Th>{t('sandboxes.diff.details')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {changes.map((change) => (
              <Table.Tr key={`${change.action}:${change.key}`} data-change={`${change.action}:${change.key}`}>
                <Table.Td><ActionBadge action={change.action} /></Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500} style={{ wordBreak: 'break-word' }}>{change.label}</Text>
                  <Code fz="xs" style={{ wordBreak: 'break-all' }}>{change.key}</Code>
                </Table.Td>
                <Table.Td><Details change={change} /></Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
};

/** One line saying how many things are added, changed and removed. */
export const ChangeSummaryText = ({ changes }: { changes: readonly ConfigurationChange[] }) => {
  const { t } = useTranslation();
  const summary = summariseChanges(changes);
  if (summary.total === 0) return <Text size="sm">{t('sandboxes.diff.none')}</Text>;
  return (
    <Text size="sm" fw={500}>
      {t('sandboxes.diff.summary', { count: summary.total })}{' '}
      <Text span size="sm" c="dimmed" fw={400}>
        {[
          summary.add ? t('sandboxes.diff.added', { count: summary.add }) : null,
          summary.change ? t('sandboxes.diff.changed', { count: summary.change }) : null,
          summary.remove ? t('sandboxes.diff.removed', { count: summary.remove }) : null,
        ].filter(Boolean).join(' · ')}
      </Text>
    </Text>
  );
};

/** The warning shown before deploying changes that move data to the trash. */
export const DestructiveWarning = ({ changes }: { changes: readonly ConfigurationChange[] }) => {
  const { t } = useTranslation();
  const count = summariseChanges(changes).destructive;
  if (count === 0) return null;
  return (
    <Alert color="orange" icon={<IconAlertTriangle size={18} aria-hidden />} title={t('sandboxes.diff.destructiveTitle', { count })}>
      {t('sandboxes.diff.destructiveHelp')}
    </Alert>
  );
};

/** The differences a deployment would make, grouped by section, each with + / ~ / − and its before and after. */
export const ChangeList = ({ changes, headingOrder = 2 }: { changes: readonly ConfigurationChange[]; headingOrder?: 2 | 3 }) => (
  <Stack gap="md">
    {groupChangesBySection(changes).map((group) => (
      <SectionTable key={group.section} section={group.section} changes={group.changes} headingOrder={headingOrder} />
    ))}
  </Stack>
);
