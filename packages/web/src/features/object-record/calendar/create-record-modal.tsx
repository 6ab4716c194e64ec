import type { ObjectDefinition } from '@rapport/common';
import { Modal } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiRecord } from '../../../api/types.ts';
import { RecordForm } from '../form/record-form.tsx';
import { useLabels } from '../labels.ts';

/** The object's own create form in a dialog, starting with the slot's start and end: the calendar stays behind it. */
export const CreateRecordModal = ({ object, objects, values, onClose }: { object: ObjectDefinition; objects: readonly ObjectDefinition[]; values: Record<string, unknown>; onClose(): void }) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const defaults = useMemo(() => ({ id: '', version: 0, createdAt: '', updatedAt: '', createdBy: null, updatedBy: null, ...values }) as ApiRecord, [values]);
  return (
    <Modal opened onClose={onClose} size="xl" title={t('form.createTitle', { name: labels.objectSingular(object) })} closeButtonProps={{ 'aria-label': t('common.close') }}>
      <RecordForm object={object} objects={objects} defaults={defaults} onSaved={onClose} onCancel={onClose} />
    </Modal>
  );
};
