import { Alert, Badge, Button, Checkbox, Grid, Group, NumberInput, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, isApiError } from '../../api/client.ts';
import { fieldErrorMessage, problemMessage, splitFieldErrors } from '../../api/problem-messages.ts';
import { queryKeys, useObjects } from '../../api/queries.ts';
import type { ApiRecord } from '../../api/types.ts';
import { notify } from '../../components/ui/notify.ts';
import { EmptyScreen, LoadingScreen } from '../../components/ui/screens.tsx';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../account/form-errors.ts';
import { useLabels } from '../object-record/labels.ts';
import { findObject, formFieldsOf } from '../object-record/metadata.ts';
import { countDealsIn, moveDeals, pipelineKeys, useStages } from './pipeline-api.ts';
import {
  inOrder,
  newStageDraft,
  PIPELINE_FIELDS,
  pipelineDraftOf,
  pipelinePatchOf,
  rebasePipelineDraft,
  removedStagesOf,
  stageDraftOf,
  stageErrorsOf,
  stageWritesOf,
  withKeptStages,
  type PipelineDraft,
  type PipelineRecord,
  type StageDraft,
  type StageRecord,
} from './pipeline-model.ts';
import { StageList, type StageInUse } from './stage-list.tsx';

// Fields a stage cannot sensibly require: the deal's place itself.
const NOT_REQUIRABLE = new Set(['pipeline', 'stage']);

/** The opportunity fields a stage can require, labelled in the interface language. */
const useRequirableFields = () => {
  const { data: objects } = useObjects();
  const labels = useLabels();
  return useMemo(() => {
    const opportunity = findObject(objects, 'opportunity');
    if (!opportunity) return [];
    return formFieldsOf(opportunity)
      .filter((field) => !NOT_REQUIRABLE.has(field.name))
      .map((field) => ({ value: field.name, label: labels.field(opportunity, field) }));
  }, [objects, labels]);
};

interface EditorProps {
  pipeline: PipelineRecord;
  stages: StageRecord[];
  onDelete(): void;
}

let newKeys = 0;

/**
 * The editor of one pipeline: its details and stalled-deal rules, and its stages. Everything is a draft until
 * "Save changes", which writes only what changed: the pipeline's changed fields (one PATCH), each removed stage to
 * the trash (one DELETE each: the API has no batch delete), then the stages added, moved or edited (one batch).
 * Every write carries the version read, so a change someone made meanwhile is refused, not overwritten.
 */
const Editor = ({ pipeline, stages, onDelete }: EditorProps) => {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  const queryClient = useQueryClient();
  const fieldOptions = useRequirableFields();
  const [basePipeline, setBasePipeline] = useState(pipeline);
  const [baseStages, setBaseStages] = useState(stages);
  const [draft, setDraft] = useState<PipelineDraft>(() => pipelineDraftOf(pipeline));
  const [stageDrafts, setStageDrafts] = useState<StageDraft[]>(() => stages.map(stageDraftOf));
  const [pipelineErrors, setPipelineErrors] = useState<FormErrors>(NO_ERRORS);
  const [stageErrors, setStageErrors] = useState<Record<string, Record<string, string>>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [isConflict, setIsConflict] = useState(false);
  const [inUse, setInUse] = useState<Record<string, StageInUse>>({});
  const [isSaving, setIsSaving] = useState(false);

  const pipelinePatch = pipelinePatchOf(basePipeline, draft);
  const stageWrites = stageWritesOf(pipeline.id, baseStages, stageDrafts);
  const removed = removedStagesOf(baseStages, stageDrafts);
  const stagesDirty = stageWrites.length > 0 || removed.length > 0;
  const isDirty = pipelinePatch !== null || stagesDirty;

  // The saved pipeline changed (its active switch, someone else's save): untouched fields follow it. Only a new
  // saved pipeline runs this, hence its one dependency.
  useEffect(() => {
    if (pipeline === basePipeline) return;
    setDraft((current) => rebasePipelineDraft(pipelineDraftOf(basePipeline), pipelineDraftOf(pipeline), current));
    setBasePipeline(pipeline);
  }, [pipeline]);

  // Saved stages changed: shown as they are now unless the person is editing them (then saving says so).
  useEffect(() => {
    if (stages === baseStages || stagesDirty) return;
    setBaseStages(stages);
    setStageDrafts(stages.map(stageDraftOf));
  }, [stages]);

  const clearErrors = () => {
    setPipelineErrors(NO_ERRORS);
    setStageErrors({});
    setGeneral([]);
    setIsConflict(false);
  };

  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.records('pipeline') }), queryClient.invalidateQueries({ queryKey: queryKeys.records('pipelineStage') })]);

  /** Reads the pipeline and its stages again and drops the draft (after someone else's change). */
  const reload = async () => {
    await refresh();
    const fresh = queryClient.getQueryData<PipelineRecord[]>(pipelineKeys.pipelines)?.find((each) => each.id === pipeline.id) ?? basePipeline;
    const freshStages = queryClient.getQueryData<StageRecord[]>(pipelineKeys.stages(pipeline.id)) ?? baseStages;
    setBasePipeline(fresh);
    setDraft(pipelineDraftOf(fresh));
    setBaseStages(freshStages);
    setStageDrafts(freshStages.map(stageDraftOf));
    setInUse({});
    clearErrors();
  };

  const discard = () => {
    setDraft(pipelineDraftOf(basePipeline));
    setStageDrafts(baseStages.map(stageDraftOf));
    clearErrors();
  };

  const save = async () => {
    setIsSaving(true);
    clearErrors();
    try {
      // 1. The pipeline's own fields.
      if (pipelinePatch) {
        try {
          const saved = await api.patch<PipelineRecord>(`/records/pipeline/${pipeline.id}`, pipelinePatch, { ifMatch: basePipeline.version });
          setBasePipeline(saved);
        } catch (error) {
          if (isApiError(error, 'VERSION_MISMATCH')) setIsConflict(true);
          else setPipelineErrors(formErrorsOf(t, language, error, PIPELINE_FIELDS));
          return;
        }
      }
      // 2. Removed stages to the trash, one by one. A stage deals are in stays, back at its place (so the others'
      //    positions are written around it), with the reason and a way out.
      const kept: StageRecord[] = [];
      const inUseNow: Record<string, StageInUse> = {};
      const generalNow: string[] = [];
      for (const stage of removed) {
        try {
          await api.delete(`/records/pipelineStage/${stage.id}`, { ifMatch: stage.version });
        } catch (error) {
          kept.push(stage);
          if (isApiError(error, 'RECORD_REFERENCED')) inUseNow[stage.id] = { count: await countDealsIn(stage.id).catch(() => 0) };
          else if (isApiError(error, 'VERSION_MISMATCH')) setIsConflict(true);
          else generalNow.push(problemMessage(t, error));
        }
      }
      const remaining = baseStages.filter((stage) => !removed.includes(stage) || kept.includes(stage));
      const drafts = withKeptStages(stageDrafts, baseStages, kept);
      setBaseStages(remaining);
      setStageDrafts(drafts);
      setInUse(inUseNow);
      setGeneral(generalNow);
      // 3. Stages added, moved or edited: one batch, all or nothing.
      const writes = stageWritesOf(pipeline.id, remaining, drafts);
      if (writes.length > 0) {
        try {
          const { data } = await api.post<{ data: ApiRecord[] }>('/records/pipelineStage/batch', { records: writes.map((write) => write.record) });
          const written = data as unknown as StageRecord[];
          const byId = new Map(written.map((stage) => [stage.id, stage]));
          setBaseStages(inOrder([...remaining.map((stage) => byId.get(stage.id) ?? stage), ...written.filter((stage) => !remaining.some((each) => each.id === stage.id))]));
          const idByKey = new Map(writes.map((write, index) => [write.key, written[index]?.id]));
          setStageDrafts(drafts.map((stage) => (stage.id ? stage : { ...stage, id: idByKey.get(stage.key) })));
        } catch (error) {
          if (isApiError(error, 'VERSION_MISMATCH')) setIsConflict(true);
          else if (isApiError(error) && error.fieldErrors.length > 0) {
            const split = stageErrorsOf(error.fieldErrors, writes, (each) => fieldErrorMessage(t, language, each));
            setStageErrors(split.byStage);
            setGeneral([...generalNow, ...split.general]);
          } else setGeneral([...generalNow, problemMessage(t, error)]);
          return;
        }
      }
      if (kept.length === 0) notify({ message: t('pipelineSettings.saved', { name: draft.name.trim() || pipeline.name }) });
    } finally {
      setIsSaving(false);
      await refresh();
    }
  };

  /** Moves the deals of a stage to another one, then trashes the stage. */
  const moveAndDelete = async (stageId: string, targetId: string) => {
    const stage = baseStages.find((each) => each.id === stageId);
    const target = baseStages.find((each) => each.id === targetId);
    if (!stage || !target) return;
    try {
      const count = await moveDeals(stageId, targetId);
      await api.delete(`/records/pipelineStage/${stageId}`, { ifMatch: stage.version });
      setBaseStages((current) => current.filter((each) => each.id !== stageId));
      setStageDrafts((current) => current.filter((each) => each.id !== stageId));
      setInUse((current) => Object.fromEntries(Object.entries(current).filter(([id]) => id !== stageId)));
      notify({ message: t('pipelineSettings.movedAndDeleted', { count, stage: target.name, name: stage.name }) });
      await Promise.all([refresh(), queryClient.invalidateQueries({ queryKey: queryKeys.records('opportunity') })]);
    } catch (error) {
      const messages = isApiError(error) && error.fieldErrors.length > 0 ? [...new Set(splitFieldErrors(t, language, error.fieldErrors, new Set()).general)].slice(0, 3) : [problemMessage(t, error)];
      setInUse((current) => ({ ...current, [stageId]: { count: current[stageId]?.count ?? 0, error: messages.join(' ') } }));
    }
  };

  const setField = <K extends keyof PipelineDraft>(field: K, value: PipelineDraft[K]) => setDraft((current) => ({ ...current, [field]: value }));
  const moveTargets = baseStages.filter((stage) => stageDrafts.some((each) => each.id === stage.id)).map((stage) => ({ id: stage.id, name: stage.name }));
  const byField = pipelineErrors.byField;

  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <Group justify="space-between" wrap="wrap">
            <Group gap="sm">
              <Title order={2} size="h3">{basePipeline.name}</Title>
              {isDirty ? <Badge color="orange" variant="light">{t('pipelineSettings.unsaved')}</Badge> : null}
            </Group>
            <Button variant="default" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={onDelete}>{t('pipelineSettings.delete')}</Button>
          </Group>
          {isConflict ? (
            <Alert color="orange" role="alert">
              <Group justify="space-between" gap="sm">
                <Text size="sm">{t('pipelineSettings.conflict')}</Text>
                <Button size="xs" variant="default" onClick={() => void reload()}>{t('pipelineSettings.reload')}</Button>
              </Group>
            </Alert>
          ) : null}
          {pipelineErrors.general ? <Alert color="red" role="alert">{pipelineErrors.general}</Alert> : null}
          <Grid gap="sm" align="flex-end">
            <Grid.Col span={{ base: 12, md: 5 }}>
              <TextInput label={t('pipelineSettings.name')} description={t('pipelineSettings.nameHelp')} required value={draft.name} onChange={(event) => setField('name', event.currentTarget.value)} error={byField.name} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 7 }}>
              <Textarea label={t('pipelineSettings.description')} description={t('pipelineSettings.descriptionHelp')} autosize minRows={1} maxRows={4} value={draft.description} onChange={(event) => setField('description', event.currentTarget.value)} error={byField.description} />
            </Grid.Col>
          </Grid>
        </Stack>
      </Paper>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="pipeline-stalled-heading">
        <Stack gap="sm">
          <Title order={3} size="h4" id="pipeline-stalled-heading">{t('pipelineSettings.stalled')}</Title>
          <Text size="sm" c="dimmed">{t('pipelineSettings.stalledIntro')}</Text>
          <Grid gap="sm" align="flex-end">
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <NumberInput
                label={t('pipelineSettings.stalledAfterDaysWithoutActivity')}
                description={t('pipelineSettings.stalledAfterDaysWithoutActivityHelp')}
                min={1}
                allowDecimal={false}
                allowNegative={false}
                value={draft.stalledAfterDaysWithoutActivity ?? ''}
                onChange={(value) => setField('stalledAfterDaysWithoutActivity', typeof value === 'number' ? value : null)}
                error={byField.stalledAfterDaysWithoutActivity}
              />
            </Grid.Col>
            <Grid.Col span={{ base: 12, sm: 6 }}>
              <NumberInput
                label={t('pipelineSettings.stalledAfterDaysInStage')}
                description={t('pipelineSettings.stalledAfterDaysInStageHelp')}
                min={1}
                allowDecimal={false}
                allowNegative={false}
                value={draft.stalledAfterDaysInStage ?? ''}
                onChange={(value) => setField('stalledAfterDaysInStage', typeof value === 'number' ? value : null)}
                error={byField.stalledAfterDaysInStage}
              />
            </Grid.Col>
          </Grid>
          <Checkbox label={t('pipelineSettings.stalledWhenCloseDatePassed')} checked={draft.stalledWhenCloseDatePassed} onChange={(event) => setField('stalledWhenCloseDatePassed', event.currentTarget.checked)} error={byField.stalledWhenCloseDatePassed} />
        </Stack>
      </Paper>

      <Paper withBorder p="md" radius="md" component="section" aria-labelledby="pipeline-stages-heading">
        <Stack gap="sm">
          <Title order={3} size="h4" id="pipeline-stages-heading">{t('pipelineSettings.stages')}</Title>
          <Text size="sm" c="dimmed">{t('pipelineSettings.stagesIntro')}</Text>
          {general.length > 0 ? <Alert color="red" role="alert">{general.join(' ')}</Alert> : null}
          {stageDrafts.length === 0 ? (
            <EmptyScreen title={t('pipelineSettings.noStagesTitle')} description={t('pipelineSettings.noStagesDescription')} />
          ) : (
            <StageList
              pipelineName={basePipeline.name}
              stages={stageDrafts}
              onChange={setStageDrafts}
              fieldOptions={fieldOptions}
              errors={stageErrors}
              inUse={inUse}
              moveTargets={moveTargets}
              onMoveAndDelete={moveAndDelete}
            />
          )}
          <Group>
            <Button variant="default" leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setStageDrafts((current) => [...current, newStageDraft(`new-${++newKeys}`)])}>
              {t('pipelineSettings.addStage')}
            </Button>
          </Group>
        </Stack>
      </Paper>

      <Group justify="flex-end" gap="sm">
        <Button variant="default" disabled={!isDirty || isSaving} onClick={discard}>{t('pipelineSettings.discard')}</Button>
        <Button loading={isSaving} disabled={!isDirty} onClick={() => void save()}>{t('pipelineSettings.save')}</Button>
      </Group>
    </Stack>
  );
};

/** The editor of the selected pipeline, once its stages are read. */
export const PipelineEditor = ({ pipeline, onDelete }: { pipeline: PipelineRecord; onDelete(): void }) => {
  const { t } = useTranslation();
  const { data: stages, error, isLoading } = useStages(pipeline.id);
  if (isLoading) return <LoadingScreen />;
  if (error || !stages) return <Alert color="red" role="alert">{problemMessage(t, error)}</Alert>;
  return <Editor key={pipeline.id} pipeline={pipeline} stages={stages} onDelete={onDelete} />;
};
