import { Alert, Button, Group, Modal, MultiSelect, Stack, Text } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../api/problem-messages.ts';
import { EmptyScreen, LoadingScreen } from '../../components/ui/screens.tsx';
import { refusalMessage } from './admin-model.ts';
import type { Member } from './settings-api.ts';

export interface ConfirmModalProps {
  title: string;
  help: string;
  confirmLabel: string;
  confirmColor: string;
  confirmIcon?: ReactNode;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  /** A sentence of the caller's own for some refusals (undefined: the API's usual one). */
  messageOf?: (failure: unknown) => string | undefined;
}

/** "Do X?" with the API's refusal shown in the dialog when it says no; closes once done. */
export const ConfirmModal = ({ title, help, confirmLabel, confirmColor, confirmIcon, onConfirm, onClose, messageOf }: ConfirmModalProps) => {
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
      setError(messageOf?.(failure) ?? refusalMessage(t, i18n.resolvedLanguage ?? 'en', failure));
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
          <Button color={confirmColor} loading={isBusy} leftSection={confirmIcon} onClick={() => void confirm()}>{confirmLabel}</Button>
        </Group>
      </Stack>
    </Modal>
  );
};

/** "Delete X?" with the API's refusal shown in the dialog when it says no. */
export const ConfirmDeleteModal = (props: Omit<ConfirmModalProps, 'confirmLabel' | 'confirmColor' | 'confirmIcon'>) => {
  const { t } = useTranslation();
  return <ConfirmModal {...props} confirmLabel={t('common.delete')} confirmColor="red" />;
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

/** How a member is named on admin screens: their name, else their email. */
export const memberLabel = (member: Pick<Member, 'name' | 'email'>) => member.name || member.email;

/** A member's name by id; an id not (yet) loaded shows as "…". */
export const memberNameOf = (members: readonly Member[], id: string) => {
  const member = members.find((each) => each.id === id);
  return member ? memberLabel(member) : '…';
};

/** Names of members by id, for a list cell. */
export const memberNamesOf = (members: readonly Member[], ids: readonly string[]) => ids.map((id) => memberNameOf(members, id)).join(', ');

/** Picks members of a team or territory: deactivated people are offered only when already chosen. */
export const MembersSelect = ({ label, description, members, value, onChange, error }: {
  label: string;
  description: string;
  members: readonly Member[];
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
}) => (
  <MultiSelect
    label={label}
    description={description}
    searchable
    data={members.filter((member) => member.status !== 'deactivated' || value.includes(member.id)).map((member) => ({ value: member.id, label: memberLabel(member) }))}
    value={value}
    onChange={onChange}
    error={error}
  />
);
