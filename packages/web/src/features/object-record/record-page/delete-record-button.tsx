import type { ObjectDefinition } from '@rapport/common';
import { Button, Group, Modal, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../../../api/client.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { queryKeys } from '../../../api/queries.ts';
import { notify } from '../../../components/ui/notify.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { useSentenceLabels } from '../labels.ts';
import { paths } from '../metadata.ts';

/** Delete with a confirmation: the record goes to the trash. */
export const DeleteRecordButton = ({ object, record, title, disabled, icon }: { object: ObjectDefinition; record: ApiRecord; title: string; disabled?: boolean; icon?: ReactNode }) => {
  const { t } = useTranslation();
  const labels = useSentenceLabels();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [isOpen, { open, close }] = useDisclosure(false);
  const [isDeleting, setIsDeleting] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onConfirm = async () => {
    setIsDeleting(true);
    setError(null);
    try {
      await api.delete(`/records/${encodeURIComponent(object.name)}/${encodeURIComponent(record.id)}`, { ifMatch: record.version });
      queryClient.removeQueries({ queryKey: queryKeys.record(object.name, record.id) });
      await queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
      notify({ message: t('record.deleted', { title }) });
      close();
      void navigate(paths.list(object.name));
    } catch (caught) {
      setError(problemMessage(t, caught));
    } finally {
      setIsDeleting(false);
    }
  };

  return (
    <>
      <Button color="red" variant="light" onClick={open} disabled={disabled} leftSection={icon}>
        {t('common.delete')}
      </Button>
      <Modal opened={isOpen} onClose={close} title={t('record.deleteTitle', { name: labels.objectSingular(object) })} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Text size="sm">{t('record.deleteConfirm', { title })}</Text>
        {error ? (
          <Text size="sm" c="red" mt="sm" role="alert">
            {error}
          </Text>
        ) : null}
        <Group justify="flex-end" mt="lg">
          <Button variant="default" onClick={close} disabled={isDeleting} data-autofocus>
            {t('common.cancel')}
          </Button>
          <Button color="red" onClick={onConfirm} loading={isDeleting}>
            {t('common.delete')}
          </Button>
        </Group>
      </Modal>
    </>
  );
};
