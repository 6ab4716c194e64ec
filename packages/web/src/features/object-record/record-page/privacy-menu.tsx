import type { ObjectDefinition } from '@rapport/common';
import { ActionIcon, Button, Group, Menu, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconDots, IconEraser, IconFileZip } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { queryKeys } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { notify } from '../../../components/ui/notify.ts';
import { useIsAdmin } from '../../settings/use-is-admin.ts';
import { canOn } from '../metadata.ts';

const recordPath = (object: ObjectDefinition, record: ApiRecord) => `/records/${encodeURIComponent(object.name)}/${encodeURIComponent(record.id)}`;

/**
 * A data subject's rights on a record page (GDPR, CCPA): "Download personal data" (everything about the
 * record in one archive, for whoever may export the object) and, for administrators, "Erase personal
 * data", confirmed by typing the record's title, since nothing brings it back.
 */
export const PrivacyMenu = ({ object, record, title }: { object: ObjectDefinition; record: ApiRecord; title: string }) => {
  const { t } = useTranslation();
  const isAdmin = useIsAdmin();
  const queryClient = useQueryClient();
  const [isOpen, { open, close }] = useDisclosure(false);
  const [typed, setTyped] = useState('');
  const [isErasing, setIsErasing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canExport = canOn(object, 'export');
  if (!canExport && !isAdmin) return null;

  const onErase = async () => {
    setIsErasing(true);
    setError(null);
    try {
      await api.post(`${recordPath(object, record)}/erase`);
      await queryClient.invalidateQueries({ queryKey: queryKeys.record(object.name, record.id) });
      await queryClient.invalidateQueries({ queryKey: queryKeys.records(object.name) });
      notify({ message: t('privacy.erased') });
      close();
    } catch (caught) {
      setError(problemMessage(t, caught));
    } finally {
      setIsErasing(false);
    }
  };

  return (
    <>
      <Menu position="bottom-end" shadow="md" withinPortal>
        <Menu.Target>
          <ActionIcon variant="default" size="lg" aria-label={t('privacy.more')}>
            <IconDots size={18} aria-hidden />
          </ActionIcon>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t('privacy.title')}</Menu.Label>
          {canExport ? (
            <Menu.Item component="a" href={`/api/v1${recordPath(object, record)}/personal-data`} download leftSection={<IconFileZip size={16} aria-hidden />}>
              {t('privacy.download')}
            </Menu.Item>
          ) : null}
          {isAdmin ? (
            <Menu.Item color="red" leftSection={<IconEraser size={16} aria-hidden />} onClick={() => {
                setTyped('');
                setError(null);
                open();
              }}>
              {t('privacy.erase')}
            </Menu.Item>
          ) : null}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={isOpen} onClose={close} title={t('privacy.eraseTitle', { title })} centered closeButtonProps={{ 'aria-label': t('common.close') }}>
        <Stack gap="sm">
          <Text size="sm">{t('privacy.eraseExplain')}</Text>
          <TextInput label={t('privacy.typeToConfirm', { title })} value={typed} onChange={(event) => setTyped(event.currentTarget.value)} data-autofocus />
          {error ? (
            <Text size="sm" c="red" role="alert">
              {error}
            </Text>
          ) : null}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={close} disabled={isErasing}>
              {t('common.cancel')}
            </Button>
            <Button color="red" onClick={() => void onErase()} loading={isErasing} disabled={typed.trim() !== title.trim()}>
              {t('privacy.eraseButton')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
};
