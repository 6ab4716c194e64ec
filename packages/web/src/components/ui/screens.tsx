import { Center, EmptyState, Loader } from '@mantine/core';
import { IconMoodEmpty, IconSearchOff } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export const LoadingScreen = () => {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
};

/** An empty state that says what is missing and what to do. */
export const EmptyScreen = ({ title, description, action, icon }: { title: string; description: string; action?: ReactNode; icon?: ReactNode }) => (
  <EmptyState py="xl" title={title} description={description} icon={icon ?? <IconMoodEmpty size={32} aria-hidden />} withIndicatorBackground>
    {action ? <EmptyState.Actions>{action}</EmptyState.Actions> : null}
  </EmptyState>
);

export const NotFoundScreen = () => {
  const { t } = useTranslation();
  return <EmptyScreen title={t('notFound.title')} description={t('notFound.description')} icon={<IconSearchOff size={32} aria-hidden />} />;
};
