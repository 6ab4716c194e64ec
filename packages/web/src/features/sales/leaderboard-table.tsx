import { Badge, Group, Table, Text, ThemeIcon } from '@mantine/core';
import { IconMedal } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/use-format.ts';
import type { Leaderboard, LeaderboardRow } from './sales-api.ts';
import { byRank } from './sales-model.ts';
import classes from './sales.module.css';

const MEDALS: Record<number, string> = { 1: 'yellow', 2: 'gray', 3: 'orange' };

/** The ranked reps: rank, points, deals won, revenue and badges. `limit` keeps the first few (the home screen's top 5). */
export const LeaderboardTable = ({ board, limit }: { board: Leaderboard; limit?: number }) => {
  const { t } = useTranslation();
  const format = useFormat();
  const rows: LeaderboardRow[] = byRank(board.data).slice(0, limit ?? board.data.length);
  const compact = limit !== undefined;
  const table = (
      <Table verticalSpacing="xs" highlightOnHover data-leaderboard>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col" w={64}>{t('sales.leaderboard.rank')}</Table.Th>
            <Table.Th scope="col">{t('sales.leaderboard.rep')}</Table.Th>
            <Table.Th scope="col" className={classes.numeric}>{t('sales.leaderboard.points')}</Table.Th>
            <Table.Th scope="col" className={classes.numeric}>{t('sales.leaderboard.dealsWon')}</Table.Th>
            {compact ? null : <Table.Th scope="col" className={classes.numeric}>{t('sales.leaderboard.revenue')}</Table.Th>}
            {compact ? null : <Table.Th scope="col">{t('sales.leaderboard.badges')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.userId} data-rep={row.userId}>
              <Table.Td>
                {MEDALS[row.rank] ? (
                  <Group gap={4} wrap="nowrap">
                    <ThemeIcon size="sm" radius="xl" variant="light" color={MEDALS[row.rank]} aria-hidden>
                      <IconMedal size={14} />
                    </ThemeIcon>
                    <Text span fw={700} size="sm" className={classes.rankBadge}>{format.number(row.rank)}</Text>
                  </Group>
                ) : (
                  <Text span size="sm" className={classes.rankBadge}>{format.number(row.rank)}</Text>
                )}
              </Table.Td>
              <Table.Th scope="row" fw={500}>{row.name}</Table.Th>
              <Table.Td className={classes.numeric} fw={600}>{format.number(row.points)}</Table.Td>
              <Table.Td className={classes.numeric}>{format.number(row.dealsWon)}</Table.Td>
              {compact ? null : <Table.Td className={classes.numeric}>{row.revenueWon === null ? '—' : format.currency(row.revenueWon, board.currency, 0)}</Table.Td>}
              {compact ? null : (
                <Table.Td>
                  <Group gap={4} wrap="wrap">
                    {row.badges.map((badge) => (
                      <Badge key={badge.key} size="sm" variant="light" color="violet" tt="none" data-badge={badge.key}>
                        {badge.label}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
  );
  // The home screen's top five fit their column; the full list scrolls sideways on a narrow screen.
  return compact ? table : <Table.ScrollContainer minWidth={640} type="native" tabIndex={0}>{table}</Table.ScrollContainer>;
};
