import type { ObjectDefinition } from '@rapport/common';
import { Alert, Paper, Stack, Text, Title } from '@mantine/core';
import { Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../../../api/client.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { useRecord } from '../../../api/queries.ts';
import type { ApiRecord } from '../../../api/types.ts';
import { LoadingScreen, NotFoundScreen } from '../../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../../components/ui/use-document-title.ts';
import { ObjectIcon } from '../object-icon.tsx';
import { useLabels } from '../labels.ts';
import { formFieldsOf, includesOf, paths, recordTitleOf, relationKindOf } from '../metadata.ts';
import { useObjectRoute } from '../use-object-route.ts';
import { useRecordFormComponent } from './form-overrides.tsx';
import { parseReferenceText } from '../../field-types/reference-value.ts';

const FormLayout = ({ object, title, parent, children }: { object: ObjectDefinition; title: string; parent: { label: string; to: string }; children: React.ReactNode }) => {
  useDocumentTitle(title);
  return (
  <Stack gap="md" maw={960}>
    <div>
      <Text size="sm" c="dimmed">
        <Link to={parent.to} style={{ color: 'inherit' }}>
          {parent.label}
        </Link>
      </Text>
      <Title order={1} size="h2" tabIndex={-1} data-page-title style={{ display: 'flex', alignItems: 'center', gap: 10 }}>
        <ObjectIcon object={object} size="md" />
        {title}
      </Title>
    </div>
    <Paper withBorder radius="md" p={{ base: 'md', sm: 'xl' }}>
      {children}
    </Paper>
  </Stack>
  );
};

/**
 * `/objects/:object/new`; `?company=<id>` starts with a many-to-one relation set (from a related list), and
 * `?related=person:<id>` with a reference set.
 */
export const CreateRecordPage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { object, objects, isLoading } = useObjectRoute();
  const Form = useRecordFormComponent(object?.name);
  // A new record may start with links to its parent: only many-to-one relations are taken from the URL.
  const prefilled = useMemo(() => {
    if (!object) return undefined;
    const values = Object.fromEntries(
      formFieldsOf(object).flatMap((field): [string, unknown][] => {
        const given = params.get(field.name);
        if (!given) return [];
        if (relationKindOf(field) === 'manyToOne') return [[field.name, given]];
        const reference = field.type === 'reference' ? parseReferenceText(given) : undefined;
        return reference ? [[field.name, reference]] : [];
      }),
    );
    return Object.keys(values).length ? ({ id: '', version: 0, createdAt: '', updatedAt: '', createdBy: null, updatedBy: null, ...values } as ApiRecord) : undefined;
  }, [object, params]);
  if (isLoading) return <LoadingScreen />;
  if (!object) return <NotFoundScreen />;
  return (
    <FormLayout object={object} title={t('form.createTitle', { name: labels.objectSingular(object) })} parent={{ label: labels.objectPlural(object), to: paths.list(object.name) }}>
      <Suspense fallback={<LoadingScreen />}>
        <Form
          object={object}
          objects={objects}
          {...(prefilled ? { defaults: prefilled } : {})}
          onSaved={(record) => void navigate(paths.record(object.name, record.id))}
          onCancel={() => void navigate(-1)}
        />
      </Suspense>
    </FormLayout>
  );
};

/** `/objects/:object/:id/edit` */
export const EditRecordPage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const { object, objects, objectName, isLoading } = useObjectRoute();
  const Form = useRecordFormComponent(objectName);
  const include = useMemo(() => (object ? includesOf(formFieldsOf(object)) : []), [object]);
  const record = useRecord({ object: objectName, id, include });
  if (isLoading || record.isLoading) return <LoadingScreen />;
  if (!object || isApiError(record.error, 'RECORD_NOT_FOUND')) return <NotFoundScreen />;
  if (!record.data) {
    return (
      <Alert color="red" role="alert" title={t('record.loadFailed')}>
        {problemMessage(t, record.error)}
      </Alert>
    );
  }
  const title = recordTitleOf(object, record.data) ?? t('fieldValue.untitled');
  return (
    <FormLayout object={object} title={t('form.editTitle', { name: title })} parent={{ label: title, to: paths.record(object.name, id) }}>
      <Suspense fallback={<LoadingScreen />}>
        <Form
          key={`${record.data.id}:${record.data.version}`}
          object={object}
          objects={objects}
          record={record.data}
          onSaved={(saved) => void navigate(paths.record(object.name, saved.id))}
          onCancel={() => void navigate(paths.record(object.name, id))}
        />
      </Suspense>
    </FormLayout>
  );
};
