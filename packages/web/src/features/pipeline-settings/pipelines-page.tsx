import { Alert, Button, Grid, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { api, isApiError } from '../../api/client.ts';
import { queryKeys } from '../../api/queries.ts';
import { notify } from '../../components/ui/notify.ts';
import { NotFoundScreen } from '../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../account/form-errors.ts';
import { ConfirmDeleteModal, ListStatus, SettingsIntro } from '../settings/admin-ui.tsx';
import { SettingsTitle } from '../settings/settings-layout.tsx';
import { usePipelines } from './pipeline-api.ts';
import { PipelineEditor } from './pipeline-editor.tsx';
import { PipelineList } from './pipeline-list.tsx';
import { nextPosition, type PipelineRecord } from './pipeline-model.ts';

/** A new pipeline: its name; it comes last, active, with no stages yet. */
const NewPipelineModal = ({ pipelines, onClose, onCreated }: { pipelines: readonly PipelineRecord[]; onClose(): void; onCreated(pipeline: PipelineRecord): void }) => {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      const created = await api.post<PipelineRecord>('/records/pipeline', { name: name.trim(), position: nextPosition(pipelines), isActive: true });
      await queryClient.invalidateQueries({ queryKey: queryKeys.records('pipeline') });
      notify({ message: t('pipelineSettings.created', { name: created.name }) });
      onCreated(created);
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['name']));
    } finally {
      setIsBusy(false);
    }
  };
  return (
    <Modal opened onClose={onClose} title={t('pipelineSettings.newTitle')} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
          <TextInput label={t('pipelineSettings.name')} description={t('pipelineSettings.nameHelp')} required value={name} onChange={(event) => setName(event.currentTarget.value)} error={errors.byField.name} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={isBusy}>{t('pipelineSettings.create')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

/**
 * Settings › Pipelines: the pipelines in order (dragged to reorder, switched on and off, added) and, beside them,
 * the selected one's editor: name, description, stalled-deal rules and its ordered stages.
 */
export const PipelinesPage = () => {
  const { t } = useTranslation();
  const { id } = useParams();
  const navigate = useNavigate();
  const { data: pipelines, isLoading, error } = usePipelines();
  const [isCreating, setIsCreating] = useState(false);
  const [deleting, setDeleting] = useState<PipelineRecord | null>(null);
  const queryClient = useQueryClient();
  useDocumentTitle(t('pipelineSettings.title'));
  const selected = id ? pipelines?.find((pipeline) => pipeline.id === id) : pipelines?.[0];

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <SettingsTitle>{t('pipelineSettings.title')}</SettingsTitle>
        <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setIsCreating(true)}>{t('pipelineSettings.new')}</Button>
      </Group>
      <SettingsIntro>{t('pipelineSettings.intro')}</SettingsIntro>
      <ListStatus isLoading={isLoading} error={error} items={pipelines} emptyTitle={t('pipelineSettings.emptyTitle')} emptyDescription={t('pipelineSettings.emptyDescription')} />
      {pipelines && pipelines.length > 0 ? (
        <Grid gap="lg">
          <Grid.Col span={{ base: 12, lg: 3 }}>
            <nav aria-label={t('pipelineSettings.listLabel')}>
              <PipelineList pipelines={pipelines} selectedId={selected?.id} />
            </nav>
          </Grid.Col>
          <Grid.Col span={{ base: 12, lg: 9 }}>
            {selected ? <PipelineEditor pipeline={selected} onDelete={() => setDeleting(selected)} /> : <NotFoundScreen />}
          </Grid.Col>
        </Grid>
      ) : null}
      {isCreating ? (
        <NewPipelineModal
          pipelines={pipelines ?? []}
          onClose={() => setIsCreating(false)}
          onCreated={(created) => {
            setIsCreating(false);
            void navigate(`/settings/pipelines/${created.id}`);
          }}
        />
      ) : null}
      {/* Refused while deals are in the pipeline, which the dialog says in so many words. */}
      {deleting ? (
        <ConfirmDeleteModal
          title={t('pipelineSettings.deleteTitle', { name: deleting.name })}
          help={t('pipelineSettings.deleteHelp')}
          messageOf={(failure) => (isApiError(failure, 'RECORD_REFERENCED') ? t('pipelineSettings.pipelineInUse') : undefined)}
          onConfirm={async () => {
            await api.delete(`/records/pipeline/${deleting.id}`, { ifMatch: deleting.version });
            await queryClient.invalidateQueries({ queryKey: queryKeys.records('pipeline') });
            notify({ message: t('pipelineSettings.deleted', { name: deleting.name }) });
            void navigate('/settings/pipelines', { replace: true });
          }}
          onClose={() => setDeleting(null)}
        />
      ) : null}
    </Stack>
  );
};
