import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import { Alert, Box, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiRecord } from '../../../api/types.ts';
import { useLabels } from '../labels.ts';
import { recordTitleOf } from '../metadata.ts';
import type { PasteCellError } from './cell-range.ts';
import type { PasteErrorCode } from './paste-values.ts';

const SHOWN = 8;

/** Why a paste was not saved: each refused cell as "record · field: reason", the first few of them. */
export const PasteErrors = ({ object, records, columns, errors, message, onClose }: {
  object: ObjectDefinition;
  records: readonly ApiRecord[];
  columns: readonly FieldDefinition[];
  errors: readonly PasteCellError[];
  message: string | undefined;
  onClose(): void;
}) => {
  const { t } = useTranslation();
  const labels = useLabels();
  if (errors.length === 0 && !message) return null;
  const describe = (error: PasteCellError) => {
    const record = records[error.row];
    const field = columns[error.col];
    return t('tableExtras.range.errorAt', {
      record: (record && recordTitleOf(object, record)) ?? t('fieldValue.untitled'),
      field: field ? labels.field(object, field) : error.field,
      message: error.message ?? t(`tableExtras.range.errors.${error.code as PasteErrorCode}`),
    });
  };
  return (
    <Alert color="red" role="alert" title={t('tableExtras.range.refusedTitle')} withCloseButton closeButtonLabel={t('common.close')} onClose={onClose}>
      {message ? <Text size="sm">{message}</Text> : null}
      {errors.length > 0 ? (
        <Box component="ul" m={0} pl="md">
          {errors.slice(0, SHOWN).map((error) => (
            <li key={`${error.row}-${error.col}`}>
              <Text size="sm">{describe(error)}</Text>
            </li>
          ))}
        </Box>
      ) : null}
      {errors.length > SHOWN ? <Text size="sm">{t('tableExtras.range.moreErrors', { count: errors.length - SHOWN })}</Text> : null}
    </Alert>
  );
};
