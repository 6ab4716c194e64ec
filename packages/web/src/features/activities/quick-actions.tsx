import type { ObjectDefinition } from '@rapport/common';
import { Button, Menu } from '@mantine/core';
import { IconBolt, IconCalendarDue, IconChecklist, IconMail, IconNote } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { queryKeys } from '../../api/queries.ts';
import type { ApiRecord } from '../../api/types.ts';
import { notify } from '../../components/ui/notify.ts';

type TemplateAction = 'task' | 'reminder' | 'note' | 'followUpEmail';

interface Applied {
  action: TemplateAction;
  created?: { object: 'task' | 'note'; record: ApiRecord };
  draft?: { to: string | null; subject: string; body: string; mailto: string };
}

const ICONS = { task: IconChecklist, reminder: IconCalendarDue, note: IconNote, followUpEmail: IconMail } as const;

/**
 * One-click actions on a record (FEATURES A7): the workspace's action templates — a task, a reminder, a note, a
 * follow-up email draft — filled from this record by the server. A draft opens in the person's mail program.
 */
export const QuickActions = ({ object, recordId }: { object: ObjectDefinition; recordId: string }) => {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const templates = useQuery({
    queryKey: ['action-templates', object.name],
    queryFn: ({ signal }) => api.get<{ data: ApiRecord[] }>('/action-templates', { object: object.name }, signal),
    staleTime: 60_000,
  });
  const apply = useMutation({
    mutationFn: (template: ApiRecord) => api.post<Applied>(`/action-templates/${encodeURIComponent(template.id)}/apply`, { object: object.name, recordId }),
    onSuccess: (applied, template) => {
      if (applied.draft) {
        globalThis.location.href = applied.draft.mailto;
        return;
      }
      if (applied.created) void queryClient.invalidateQueries({ queryKey: queryKeys.records(applied.created.object) });
      notify({ message: t(`quickActions.done.${applied.action}`, { name: String(template.name ?? '') }), color: 'teal' });
    },
    onError: (error) => notify({ message: problemMessage(t, error), color: 'red' }),
  });
  const list = templates.data?.data ?? [];
  // Nothing to offer (no templates, or no right to read them): no button.
  if (list.length === 0) return null;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button variant="default" leftSection={<IconBolt size={16} aria-hidden />} loading={apply.isPending}>
          {t('quickActions.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('quickActions.label')}</Menu.Label>
        {list.map((template) => {
          const Icon = ICONS[template.action as TemplateAction] ?? IconBolt;
          return (
            <Menu.Item key={template.id} leftSection={<Icon size={16} aria-hidden />} onClick={() => apply.mutate(template)}>
              {String(template.name ?? '')}
            </Menu.Item>
          );
        })}
      </Menu.Dropdown>
    </Menu>
  );
};
