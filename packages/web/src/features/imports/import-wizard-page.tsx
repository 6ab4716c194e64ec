import { Alert, Anchor, Button, Group, Progress, Stack, Stepper, Text, Title } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useObjects } from '../../api/queries.ts';
import { LoadingScreen } from '../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { useLabels } from '../object-record/labels.ts';
import { canOn, findObject } from '../object-record/metadata.ts';
import {
  importableObjects,
  isFinished,
  mappingForFile,
  sampleValuesOf,
  targetsOf,
  upsertFieldsOf,
  type ImportMapping,
  type ImportPreview,
} from './import-model.ts';
import { useImportProblemMessage } from './import-problems.ts';
import { ImportRunView } from './import-run-view.tsx';
import { importPaths } from './import-paths.ts';
import { requestPreview, startImport, useImportRun } from './imports-api.ts';
import { MappingStep } from './mapping-step.tsx';
import { PreviewStep } from './preview-step.tsx';
import { UploadStep } from './upload-step.tsx';

type Step = 0 | 1 | 2 | 3;

/** Samples for the mapping step: each column's first distinct values, from the file's cells as the server read them. */
const samplesOf = (preview: ImportPreview): Record<string, string[]> => {
  const rows = preview.sampleRows.map((row) => Object.fromEntries(preview.headers.map((header, index) => [header, row.cells[index] ?? ''])));
  return Object.fromEntries(preview.headers.map((header) => [header, sampleValuesOf(rows, header)]));
};

/** `/imports/new?object=…`: upload, map the columns, preview, then import with progress and a summary. */
export const ImportWizardPage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const format = useFormat();
  const errorText = useImportProblemMessage();
  const [params, setParams] = useSearchParams();
  const { data: allObjects, isLoading } = useObjects();
  const objects = useMemo(() => importableObjects(allObjects ?? []), [allObjects]);
  const requested = params.get('object');
  const objectName = objects.some((object) => object.name === requested) ? requested : (objects[0]?.name ?? null);
  const object = findObject(objects, objectName ?? undefined);

  const [step, setStep] = useState<Step>(0);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [samples, setSamples] = useState<Record<string, string[]>>({});
  const [mapping, setMapping] = useState<ImportMapping>({});
  const [upsertOn, setUpsertOn] = useState<string | null>(null);
  const [createRelated, setCreateRelated] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [upload, setUpload] = useState<{ loaded: number; total: number } | null>(null);
  const [runId, setRunId] = useState<string | undefined>();
  const run = useImportRun(runId);

  const targets = useMemo(
    () =>
      object
        ? targetsOf(object, allObjects ?? [], {
            field: (owner, field) => labels.field(owner, field),
            addressPart: (part) => t(`address.${part}`),
          })
        : [],
    [object, allObjects, labels, t],
  );
  // Matching updates records: only offered when the role may update them.
  const upsertFields = useMemo(() => (object && canOn(object, 'update') ? upsertFieldsOf(object).map((field) => ({ value: field.name, label: labels.field(object, field) })) : []), [object, labels]);
  useDocumentTitle(t('imports.wizard.title'));

  if (isLoading) return <LoadingScreen />;

  const go = (next: Step) => {
    setError(null);
    setStep(next);
  };

  const readFile = async () => {
    if (!file || !objectName) return;
    setBusy(true);
    setError(null);
    try {
      const first = await requestPreview(file, { object: objectName, mapping: undefined, upsertOn: null, createRelated });
      setPreview(first);
      setSamples(samplesOf(first));
      setMapping(mappingForFile(first.headers, first.mapping, new Set(targets.map((target) => target.value))));
      setUpsertOn(null);
      go(1);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  const showPreview = async () => {
    if (!file || !objectName || !preview) return;
    setBusy(true);
    setError(null);
    try {
      const next = await requestPreview(file, { object: objectName, mapping: mappingForFile(preview.headers, mapping), upsertOn, createRelated });
      setPreview({ ...next, suggestedMapping: preview.suggestedMapping });
      go(2);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  const start = async (dryRun: boolean) => {
    if (!file || !objectName || !preview) return;
    setBusy(true);
    setError(null);
    setRunId(undefined);
    setUpload({ loaded: 0, total: file.size });
    go(3);
    try {
      const { id } = await startImport(file, { object: objectName, mapping: mappingForFile(preview.headers, mapping), upsertOn, dryRun, createRelated }, (loaded, total) =>
        setUpload({ loaded, total: total || file.size }),
      );
      setRunId(id);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
      setUpload(null);
    }
  };

  const restart = () => {
    setFile(null);
    setPreview(null);
    setMapping({});
    setRunId(undefined);
    go(0);
  };

  const uploadPercent = upload && upload.total > 0 ? Math.round((upload.loaded / upload.total) * 100) : 0;
  const started = step === 3;

  return (
    <Stack gap="lg">
      <Group justify="space-between" wrap="wrap">
        <Title order={1} size="h2" tabIndex={-1} data-page-title>
          {object ? t('imports.wizard.titleOf', { name: labels.objectPlural(object) }) : t('imports.wizard.title')}
        </Title>
        <Anchor component={Link} to={importPaths.history(objectName ?? undefined)} size="sm">
          <Group gap={4} component="span">
            <IconHistory size={16} aria-hidden />
            {t('imports.history.title')}
          </Group>
        </Anchor>
      </Group>
      {objects.length === 0 ? (
        <Alert color="yellow">{t('imports.wizard.noObjects')}</Alert>
      ) : (
        <Stepper active={step === 3 && run.data && isFinished(run.data) && !run.data.dryRun ? 4 : step} onStepClick={(index) => !started && index < step && go(index as Step)} allowNextStepsSelect={false} size="sm">
          <Stepper.Step label={t('imports.steps.upload')} description={file?.name ?? t('imports.steps.uploadHelp')} />
          <Stepper.Step label={t('imports.steps.mapping')} description={t('imports.steps.mappingHelp')} />
          <Stepper.Step label={t('imports.steps.preview')} description={t('imports.steps.previewHelp')} />
          <Stepper.Step label={t('imports.steps.import')} description={t('imports.steps.importHelp')} />
        </Stepper>
      )}
      {object && step === 0 ? (
        <UploadStep
          objects={objects}
          objectName={objectName}
          onObjectChange={(name) => {
            setParams(name ? { object: name } : {}, { replace: true });
            setPreview(null);
          }}
          file={file}
          onFileChange={(picked) => {
            setFile(picked);
            setError(null);
          }}
          isReading={busy}
          error={error}
          onNext={() => void readFile()}
        />
      ) : null}
      {object && step === 1 && preview ? (
        <MappingStep
          object={object}
          headers={preview.headers}
          samples={samples}
          targets={targets}
          mapping={mapping}
          onMappingChange={setMapping}
          suggested={preview.suggestedMapping}
          upsertOn={upsertOn}
          upsertFields={upsertFields}
          onUpsertOnChange={setUpsertOn}
          createRelated={createRelated}
          onCreateRelatedChange={setCreateRelated}
          isLoading={busy}
          error={error}
          onBack={() => go(0)}
          onNext={() => void showPreview()}
        />
      ) : null}
      {object && step === 2 && preview ? (
        <PreviewStep
          object={object}
          objects={allObjects ?? []}
          preview={preview}
          targets={targets}
          isStarting={busy}
          error={error}
          onBack={() => go(1)}
          onDryRun={() => void start(true)}
          onImport={() => void start(false)}
        />
      ) : null}
      {step === 3 ? (
        <Stack gap="md" maw={880}>
          {upload ? (
            <Stack gap={6}>
              <Group justify="space-between">
                <Text size="sm" fw={500}>
                  {t('imports.wizard.uploading', { name: file?.name ?? '' })}
                </Text>
                <Text size="sm" c="dimmed">
                  {format.percent(uploadPercent, 0)}
                </Text>
              </Group>
              <Progress.Root size="lg">
                <Progress.Section value={uploadPercent} aria-label={t('imports.wizard.uploading', { name: file?.name ?? '' })} />
              </Progress.Root>
            </Stack>
          ) : null}
          {error ? (
            <Alert color="red" role="alert" title={t('imports.wizard.startFailed')}>
              {error}
            </Alert>
          ) : null}
          {runId && !run.data && run.isLoading ? <LoadingScreen /> : null}
          {run.error ? (
            <Alert color="red" role="alert">
              {errorText(run.error)}
            </Alert>
          ) : null}
          {run.data ? <ImportRunView run={run.data} onImportForReal={run.data.dryRun ? () => void start(false) : undefined} /> : null}
          {!upload ? (
            <Group>
              {error ? (
                <Button variant="default" onClick={() => go(2)}>
                  {t('common.back')}
                </Button>
              ) : null}
              <Button variant="default" onClick={restart} disabled={busy}>
                {t('imports.wizard.another')}
              </Button>
            </Group>
          ) : null}
        </Stack>
      ) : null}
    </Stack>
  );
};
