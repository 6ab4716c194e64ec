import type { ObjectDefinition } from '@rapport/common';
import { Button, Group, Menu, Modal, MultiSelect, Stack, Text } from '@mantine/core';
import { IconBell, IconBellCheck, IconBellOff, IconListCheck } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { notify } from '../../components/ui/notify.ts';
import { useLabels } from '../object-record/labels.ts';

interface Follower {
  userId: string;
  fields: string[] | null;
  createdAt: string;
}

interface Followers {
  data: Follower[];
  me: Follower | null;
  followableFields: string[];
}

const followersKey = (object: string, id: string) => ['followers', object, id] as const;

/**
 * Follow a record (FEATURES T9): hear of every change others make to it, or only of the fields chosen, as
 * notifications (in the app, or in the daily digest, as the person's preferences say).
 */
export const FollowButton = ({ object, recordId }: { object: ObjectDefinition; recordId: string }) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const queryClient = useQueryClient();
  const url = `/records/${encodeURIComponent(object.name)}/${encodeURIComponent(recordId)}/followers`;
  const followers = useQuery({ queryKey: followersKey(object.name, recordId), queryFn: ({ signal }) => api.get<Followers>(url, undefined, signal) });
  const [isChoosing, setChoosing] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const done = {
    onSuccess: () => queryClient.invalidateQueries({ queryKey: followersKey(object.name, recordId) }),
    onError: (error: unknown) => notify({ message: problemMessage(t, error), color: 'red' }),
  };
  const follow = useMutation({ mutationFn: (fields: string[] | null) => api.put<Follower>(`${url}/me`, { fields }), ...done });
  const unfollow = useMutation({ mutationFn: () => api.delete(`${url}/me`), ...done });
  // A caller who cannot follow (an API key without a user) or read the record sees no button.
  if (followers.isError || !followers.data) return null;
  const { me, data, followableFields } = followers.data;
  const fieldLabel = (name: string) => {
    const field = object.fields.find((candidate) => candidate.name === name);
    return field ? labels.field(object, field) : name;
  };
  const options = followableFields.map((name) => ({ value: name, label: fieldLabel(name) }));
  const openChooser = () => {
    setChosen(me?.fields ?? []);
    setChoosing(true);
  };
  const isBusy = follow.isPending || unfollow.isPending;

  return (
    <>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button
            variant={me ? 'light' : 'default'}
            leftSection={me ? <IconBellCheck size={16} aria-hidden /> : <IconBell size={16} aria-hidden />}
            loading={isBusy}
            aria-label={me ? t('follow.followingCount', { count: data.length }) : t('follow.follow')}
          >
            {me ? t('follow.following') : t('follow.follow')}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t('follow.followers', { count: data.length })}</Menu.Label>
          <Menu.Item leftSection={<IconBell size={16} aria-hidden />} onClick={() => follow.mutate(null)}>
            {t('follow.allChanges')}
          </Menu.Item>
          <Menu.Item leftSection={<IconListCheck size={16} aria-hidden />} onClick={openChooser}>
            {t('follow.someFields')}
          </Menu.Item>
          {me ? (
            <Menu.Item leftSection={<IconBellOff size={16} aria-hidden />} color="red" onClick={() => unfollow.mutate()}>
              {t('follow.unfollow')}
            </Menu.Item>
          ) : null}
        </Menu.Dropdown>
      </Menu>
      <Modal opened={isChoosing} onClose={() => setChoosing(false)} title={t('follow.chooseTitle')}>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            if (chosen.length === 0) return;
            follow.mutate(chosen, { onSuccess: () => setChoosing(false) });
          }}
        >
          <Stack gap="sm">
            <Text size="sm" c="dimmed">
              {t('follow.chooseHelp')}
            </Text>
            <MultiSelect label={t('follow.fields')} data={options} value={chosen} onChange={setChosen} searchable clearable data-autofocus />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setChoosing(false)}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" disabled={chosen.length === 0} loading={follow.isPending}>
                {t('follow.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
};
