import { Alert, Badge, Button, Group, Modal, NumberInput, Paper, Progress, Stack, Switch, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle, IconArrowDown, IconArrowUp, IconSelector } from '@tabler/icons-react';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiRequest } from '../../api/client.ts';
import { problemMessage } from '../../api/problem-messages.ts';
import { LoadingScreen } from '../../components/ui/screens.tsx';
import { notify } from '../../components/ui/notify.ts';
import { useDocumentTitle } from '../../components/ui/use-document-title.ts';
import { useFormat } from '../../i18n/use-format.ts';
import { formErrorsOf, NO_ERRORS, type FormErrors } from '../account/form-errors.ts';
import { sortUtilisation, type SortDirection, type UtilisationSortKey } from './admin-model.ts';
import { ListStatus, SettingsIntro } from './admin-ui.tsx';
import { SettingsTitle } from './settings-layout.tsx';
import { adminKeys, settingsKeys, useLicenceDetails, useUtilisation, type LicenceType } from './settings-api.ts';

const INACTIVE_DAYS = 30;

/** Seats and concurrency of one licence type (`PUT /licences/{name}`). */
const LicenceModal = ({ licence, onClose }: { licence: LicenceType; onClose: () => void }) => {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [seats, setSeats] = useState<number | string>(licence.seats ?? '');
  const [concurrent, setConcurrent] = useState(licence.concurrent);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [isBusy, setIsBusy] = useState(false);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setIsBusy(true);
    setErrors(NO_ERRORS);
    try {
      await apiRequest(`/licences/${encodeURIComponent(licence.name)}`, { method: 'PUT', body: { seats: seats === '' ? null : Number(seats), concurrent } });
      await Promise.all([queryClient.invalidateQueries({ queryKey: adminKeys.licenceTypes }), queryClient.invalidateQueries({ queryKey: settingsKeys.licences })]);
      notify({ message: t('admin.licences.saved', { name: licence.name }) });
      onClose();
    } catch (error) {
      setErrors(formErrorsOf(t, i18n.resolvedLanguage ?? 'en', error, ['seats', 'concurrent']));
    } finally {
      setIsBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title={t('admin.licences.editTitle', { name: licence.name })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="md">
          {errors.general ? <Alert color="red" role="alert">{errors.general}</Alert> : null}
          <NumberInput label={t('admin.licences.seats')} description={t('admin.licences.seatsHelp')} min={0} allowDecimal={false} value={seats} onChange={setSeats} error={errors.byField.seats} data-autofocus />
          <Switch label={t('admin.licences.concurrent')} description={t('admin.licences.concurrentHelp')} checked={concurrent} onChange={(event) => setConcurrent(event.currentTarget.checked)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" loading={isBusy}>{t('common.save')}</Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
};

const SortHeader = ({ column, label, sort, onSort }: { column: UtilisationSortKey; label: string; sort: { key: UtilisationSortKey; direction: SortDirection }; onSort(key: UtilisationSortKey): void }) => {
  const isSorted = sort.key === column;
  const Icon = !isSorted ? IconSelector : sort.direction === 'asc' ? IconArrowUp : IconArrowDown;
  return (
    <Table.Th scope="col" aria-sort={isSorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton onClick={() => onSort(column)} style={{ display: 'inline-flex', alignItems: 'center', gap: 4, fontWeight: 700, fontSize: 'inherit' }}>
        {label}
        <Icon size={14} aria-hidden />
      </UnstyledButton>
    </Table.Th>
  );
};

/** Settings › Licences: types with seats, and who uses what (the utilisation report). */
export const LicencesPage = () => {
  const { t } = useTranslation();
  const format = useFormat();
  const licences = useLicenceDetails();
  const report = useUtilisation(INACTIVE_DAYS);
  const [editing, setEditing] = useState<LicenceType | null>(null);
  const [sort, setSort] = useState<{ key: UtilisationSortKey; direction: SortDirection }>({ key: 'lastActiveAt', direction: 'desc' });
  const rows = useMemo(() => sortUtilisation(report.data ?? [], sort.key, sort.direction), [report.data, sort]);
  useDocumentTitle(t('admin.licences.title'));
  const onSort = (key: UtilisationSortKey) => setSort((current) => ({ key, direction: current.key === key && current.direction === 'asc' ? 'desc' : 'asc' }));

  return (
    <Stack gap="lg">
      <SettingsTitle>{t('admin.licences.title')}</SettingsTitle>
      <SettingsIntro>{t('admin.licences.intro')}</SettingsIntro>
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="licence-types">
        <Stack gap="sm">
          <Title order={2} size="h4" id="licence-types">{t('admin.licences.typesTitle')}</Title>
          {licences.isLoading ? <LoadingScreen /> : null}
          {licences.error ? <Alert color="red" role="alert">{problemMessage(t, licences.error)}</Alert> : null}
          {licences.data ? (
            <Table.ScrollContainer minWidth={720}>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('admin.licences.type')}</Table.Th>
                    <Table.Th scope="col">{t('admin.licences.seatsUsed')}</Table.Th>
                    <Table.Th scope="col">{t('admin.licences.kind')}</Table.Th>
                    <Table.Th scope="col">{t('admin.licences.features')}</Table.Th>
                    <Table.Th scope="col">{t('settings.users.actions')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {licences.data.map((licence) => {
                    const isFull = licence.seats !== null && licence.used >= licence.seats;
                    return (
                      <Table.Tr key={licence.name}>
                        <Table.Td fw={500}>{licence.name}</Table.Td>
                        <Table.Td miw={180}>
                          <Text size="sm">
                            {licence.seats === null
                              ? t('admin.licences.usedUnlimited', { used: format.number(licence.used) })
                              : t('admin.licences.usedOf', { used: format.number(licence.used), seats: format.number(licence.seats) })}
                          </Text>
                          {licence.seats !== null ? (
                            <Progress value={licence.seats === 0 ? 100 : Math.min(100, (licence.used / licence.seats) * 100)} color={isFull ? 'red' : 'blue'} size="sm" mt={4} aria-label={t('admin.licences.seatsUsed')} />
                          ) : null}
                        </Table.Td>
                        <Table.Td>
                          <Badge variant="light" color={licence.concurrent ? 'grape' : 'gray'}>{licence.concurrent ? t('admin.licences.concurrentBadge') : t('admin.licences.namedBadge')}</Badge>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{licence.features.length ? licence.features.join(', ') : '—'}</Text>
                        </Table.Td>
                        <Table.Td>
                          <Button size="xs" variant="default" onClick={() => setEditing(licence)} aria-label={t('settings.users.editLabel', { name: licence.name })}>{t('common.edit')}</Button>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : null}
        </Stack>
      </Paper>

      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="utilisation">
        <Stack gap="sm">
          <Title order={2} size="h4" id="utilisation">{t('admin.licences.utilisationTitle')}</Title>
          <Text size="sm" c="dimmed">{t('admin.licences.utilisationHelp', { days: INACTIVE_DAYS })}</Text>
          <ListStatus isLoading={report.isLoading} error={report.error} items={report.data} emptyTitle={t('admin.licences.emptyTitle')} emptyDescription={t('admin.licences.emptyDescription')} />
          {rows.length > 0 ? (
            <Table.ScrollContainer minWidth={900}>
              <Table striped highlightOnHover aria-labelledby="utilisation">
                <Table.Thead>
                  <Table.Tr>
                    <SortHeader column="name" label={t('settings.users.name')} sort={sort} onSort={onSort} />
                    <SortHeader column="licence" label={t('settings.users.licence')} sort={sort} onSort={onSort} />
                    <SortHeader column="lastSignInAt" label={t('admin.licences.lastSignIn')} sort={sort} onSort={onSort} />
                    <SortHeader column="lastActiveAt" label={t('settings.users.lastActive')} sort={sort} onSort={onSort} />
                    <SortHeader column="features" label={t('admin.licences.featuresUsed')} sort={sort} onSort={onSort} />
                    <Table.Th scope="col">{t('admin.licences.suggestion')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {rows.map((row) => (
                    <Table.Tr key={row.userId}>
                      <Table.Td>
                        <Text size="sm" fw={500}>{row.name || row.email}</Text>
                        <Text size="xs" c="dimmed">{row.email}</Text>
                      </Table.Td>
                      <Table.Td>{row.licence ?? '—'}</Table.Td>
                      <Table.Td>{row.lastSignInAt ? format.dateTime(row.lastSignInAt) : t('settings.users.never')}</Table.Td>
                      <Table.Td>
                        <Group gap={6} wrap="nowrap">
                          <Text size="sm">{row.lastActiveAt ? format.dateTime(row.lastActiveAt) : t('settings.users.never')}</Text>
                          {row.flaggedInactive ? (
                            <Badge color="orange" variant="light" leftSection={<IconAlertTriangle size={12} aria-hidden />}>{t('admin.licences.inactive')}</Badge>
                          ) : null}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{row.featuresUsed.length ? row.featuresUsed.join(', ') : '—'}</Text>
                      </Table.Td>
                      <Table.Td>{row.suggestedLicence ? <Badge variant="light" color="teal" tt="none">{t('admin.licences.downgradeTo', { name: row.suggestedLicence })}</Badge> : '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          ) : null}
        </Stack>
      </Paper>
      {editing ? <LicenceModal licence={editing} onClose={() => setEditing(null)} /> : null}
    </Stack>
  );
};
