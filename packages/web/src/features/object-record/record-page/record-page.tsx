import { Alert, Button, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../../api/client.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { useObjectLayout, useRecord } from '../../../api/queries.ts';
import { LoadingScreen, NotFoundScreen } from '../../../components/ui/screens.tsx';
import { useDocumentTitle } from '../../../components/ui/use-document-title.ts';
import { useFormat } from '../../../i18n/use-format.ts';
import { FieldValue } from '../../field-types/field-value.tsx';
import { ObjectIcon } from '../object-icon.tsx';
import { useLabels } from '../labels.ts';
import { canOn, detailFieldsOf, includesOf, paths, recordTitleOf, relatedListsOf, sectionsOf } from '../metadata.ts';
import { useObjectRoute } from '../use-object-route.ts';
import { DeleteRecordButton } from './delete-record-button.tsx';
import { PrivacyMenu } from './privacy-menu.tsx';
import { FavouriteButton } from '../views/favourite-button.tsx';
import { HistoryTimeline } from './history-timeline.tsx';
import { RelatedList } from './related-list.tsx';
import { RecordDuplicatesNotice } from '../../duplicates/record-duplicates-notice.tsx';
import { activityLinksOf, hasActivities, relatedListsBesidePanel } from './activity-model.ts';
import { ActivityPanel } from './activity-panel.tsx';
import { DealInsightsPanel } from '../../sales/deal-insights-panel.tsx';
import { BookingPageLinks } from '../../booking/booking-page-links.tsx';
import { BookingHoursPanel } from '../../booking/booking-hours-summary.tsx';
import { withoutPanelFields } from '../../booking/booking-editor-model.ts';
import { MeetingCheckIn } from '../../activities/meeting-check-in.tsx';
import { NextTaskBadge } from './next-task-badge.tsx';
import { FollowButton } from '../../notifications/follow-button.tsx';
import { QuickActions } from '../../activities/quick-actions.tsx';
import { KeyFields } from './key-fields-header.tsx';
import { keyFieldsOf } from './key-fields.ts';
import { isShownByProductsPanel, ProductsPanel } from '../../products/products-panel.tsx';
import classes from './record-page.module.css';

/** `/objects/:object/:id`: a record's header with its key fields, its fields, related lists with totals and its timeline. */
export const RecordPage = () => {
  const { t } = useTranslation();
  const labels = useLabels();
  const format = useFormat();
  const { id = '' } = useParams();
  const { object, objects, objectName, isLoading } = useObjectRoute();
  const fields = useMemo(() => (object ? withoutPanelFields(object.name, detailFieldsOf(object)) : []), [object]);
  const include = useMemo(() => includesOf(fields), [fields]);
  const record = useRecord({ object: objectName, id, include });
  // The object's layout groups the fields in sections; without one (or while it loads) they form one section.
  const layout = useObjectLayout(objectName, Boolean(object));
  const sections = useMemo(() => sectionsOf(fields, layout.data?.isDefault ? undefined : layout.data), [fields, layout.data]);
  const keyFields = useMemo(() => (object ? keyFieldsOf(object, sections, undefined, objects) : []), [object, sections, objects]);
  const links = useMemo(() => activityLinksOf(objects, objectName), [objects, objectName]);
  useDocumentTitle(object && record.data ? (recordTitleOf(object, record.data) ?? labels.objectSingular(object)) : undefined);

  if (isLoading || record.isLoading) return <LoadingScreen />;
  if (!object || isApiError(record.error, 'RECORD_NOT_FOUND')) return <NotFoundScreen />;
  if (record.error || !record.data) {
    return (
      <Alert color="red" role="alert" title={t('record.loadFailed')}>
        {problemMessage(t, record.error)}
      </Alert>
    );
  }
  const data = record.data;
  const title = recordTitleOf(object, data) ?? t('fieldValue.untitled');

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Group gap="sm" wrap="nowrap">
          <ObjectIcon object={object} />
          <div>
            <Text size="sm" c="dimmed">
              <Link to={paths.list(object.name)} className={classes.crumb}>
                {labels.objectPlural(object)}
              </Link>
            </Text>
            <Title order={1} size="h2" tabIndex={-1} data-page-title>
              {title}
            </Title>
            <KeyFields object={object} fields={keyFields} record={data} objects={objects} />
            <NextTaskBadge object={object} objects={objects} record={data} />
          </div>
        </Group>
        <Group gap="xs">
          <FavouriteButton target={{ object: object.name, recordId: data.id }} name={title} />
          {hasActivities(links) ? <QuickActions object={object} recordId={data.id} /> : null}
          <FollowButton object={object} recordId={data.id} />
          <BookingPageLinks object={object} record={data} />
          {canOn(object, 'update') ? (
            <Button component={Link} to={paths.edit(object.name, data.id)} variant="default" leftSection={<IconPencil size={16} aria-hidden />}>
              {t('common.edit')}
            </Button>
          ) : null}
          {canOn(object, 'delete') ? <DeleteRecordButton object={object} record={data} title={title} icon={<IconTrash size={16} aria-hidden />} /> : null}
          <PrivacyMenu object={object} record={data} title={title} />
        </Group>
      </Group>
      <RecordDuplicatesNotice object={object} record={data} />
      <MeetingCheckIn object={object} record={data} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            {sections.map((section, index) => (
              <Paper key={section.title ?? `section-${index}`} withBorder radius="md" p="md" component="section" aria-labelledby={`record-section-${index}`}>
                <Title order={2} size="h4" id={`record-section-${index}`} mb="sm">
                  {section.title ?? t('record.details')}
                </Title>
                <dl className={`${classes.fields} ${section.columns === 1 ? classes.oneColumn : classes.twoColumns}`}>
                  {section.fields.map((field) => (
                    <div key={field.name} className={classes.field}>
                      <dt className={classes.label}>{labels.field(object, field)}</dt>
                      <dd className={classes.value}>
                        <FieldValue object={object} field={field} value={data[field.name]} objects={objects} />
                      </dd>
                    </div>
                  ))}
                </dl>
                {index === sections.length - 1 ? (
                  <Text size="xs" c="dimmed" mt="md">
                    {t('record.createdUpdated', { created: format.dateTime(data.createdAt), updated: format.dateTime(data.updatedAt) })}
                  </Text>
                ) : null}
              </Paper>
            ))}
            <ProductsPanel object={object} record={data} objects={objects} />
            {relatedListsBesidePanel(object, relatedListsOf(object), objects).filter((field) => !isShownByProductsPanel(object, field)).map((field) => (
              <RelatedList key={field.name} object={object} field={field} objects={objects} recordId={data.id} />
            ))}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="lg">
            <DealInsightsPanel object={object} recordId={data.id} />
            <BookingHoursPanel object={object} record={data} />
            {hasActivities(links) ? (
              <ActivityPanel object={object} recordId={data.id} />
            ) : (
              <HistoryTimeline object={object} recordId={data.id} />
            )}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
};
