import { Card, Group, Kbd, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useOs } from '@mantine/hooks';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client.ts';
import { useObjects } from '../../api/queries.ts';
import type { RecordPage } from '../../api/types.ts';
import { LoadingScreen } from '../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { useSession } from '../auth/session.tsx';
import { ObjectIcon } from '../object-record/object-icon.tsx';
import { useLabels } from '../object-record/labels.ts';
import { paths } from '../object-record/metadata.ts';
import { HomeSalesSlot } from '../sales/home-sales-slot.tsx';

/** `/`: a greeting, every object with its record count, and how to search. */
export const HomePage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const format = useFormat();
  const os = useOs();
  const { session } = useSession();
  const { data: objects = [], isLoading } = useObjects();
  useDocumentTitle(t('home.title'));
  const counts = useQueries({
    queries: objects.map((object) => ({
      queryKey: ['records', object.name, 'count'],
      // A table of a million records is not counted row by row for a greeting: large ones show an estimate.
      queryFn: ({ signal }: { signal: AbortSignal }) => api.post<RecordPage>(`/records/${encodeURIComponent(object.name)}/query`, { limit: 1, count: 'estimate', fields: [] }, { signal }),
      staleTime: 30_000,
    })),
  });
  if (isLoading) return <LoadingScreen />;
  const name = session.status === 'signedIn' ? (session.user.name ?? session.user.email) : '';
  const total = counts.reduce((sum, count) => sum + (count.data?.totalCount ?? 0), 0);

  return (
    <Stack gap="lg" maw={1100}>
      <div>
        <Title order={1} size="h2" tabIndex={-1} data-page-title>
          {t('home.welcome', { name })}
        </Title>
        <Text c="dimmed" mt={4}>
          {total === 0 && counts.every((count) => count.isSuccess) ? t('home.emptyWorkspace') : t('home.intro')}
        </Text>
      </div>
      <HomeSalesSlot />
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="md">
        {objects.map((object, index) => {
          const count = counts[index]?.data?.totalCount;
          const isEstimate = counts[index]?.data?.totalCountIsEstimate === true;
          return (
            <Card key={object.name} component={Link} to={paths.list(object.name)} withBorder radius="md" padding="lg">
              <Group justify="space-between" wrap="nowrap">
                <Group gap="sm" wrap="nowrap">
                  <ObjectIcon object={object} />
                  <Text fw={600}>{labels.objectPlural(object)}</Text>
                </Group>
                <Text c="dimmed" size="sm">
                  {count === undefined ? '' : t(isEstimate ? 'home.recordsAbout' : 'home.records', { count, formatted: format.number(count) })}
                </Text>
              </Group>
            </Card>
          );
        })}
      </SimpleGrid>
      <Text size="sm" c="dimmed">
        {t('home.searchHint')} <Kbd>{os === 'macos' ? '⌘' : 'Ctrl'}</Kbd> + <Kbd>K</Kbd>
      </Text>
    </Stack>
  );
};
