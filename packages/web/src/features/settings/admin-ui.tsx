import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../api/problem-messages.ts';
import { EmptyScreen, LoadingScreen } from '../../components/ui/screens.tsx';
import { refusalMessage } from './admin-model.ts';

/** "Delete X?" with the API's refusal shown in the dialog when it says no. */
export const ConfirmDeleteModal = ({ title, help, onConfirm, onClose }: { title: string; help: string; onConfirm: () => Promise<void>; onClose: () => void }) => {
  const { t, i18n } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  const confirm = async () => {
    setIsBusy(true);
    setError(null);
    try {
      await onConfirm();
      onClose();
    } catch (failure) {
      setError(refusalMessage(t, i18n.resolvedLanguage ?? 'en', failure));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={title} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <Stack gap="md">
        {error ? <Alert color="red" role="alert">{error}</Alert> : null}
        <Text size="sm">{help}</Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>{t('common.cancel')}</Button>
          <Button color="red" loading={isBusy} onClick={() => void confirm()}>{t('common.delete')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
};

/** The short explanation under a settings screen's title. */
export const SettingsIntro = ({ children }: { children: string }) => (
  <Text size="sm" c="dimmed" maw={760}>
    {children}
  </Text>
);

/** What a settings list shows around its rows: loading, the API's error, or an empty state. */
export const ListStatus = ({ isLoading, error, items, emptyTitle, emptyDescription }: { isLoading: boolean; error: unknown; items: readonly unknown[] | undefined; emptyTitle: string; emptyDescription: string }) => {
  const { t } = useTranslation();
  return (
    <>
      {isLoading ? <LoadingScreen /> : null}
      {error ? <Alert color="red" role="alert">{problemMessage(t, error)}</Alert> : null}
      {items && items.length === 0 ? <EmptyScreen title={emptyTitle} description={emptyDescription} /> : null}
    </>
  );
};
