import type { ObjectDefinition } from '@rapport/common';
import { Alert, Box, Button, Group, List, Select, Stack, Text } from '@mantine/core';
import { IconFileSpreadsheet, IconUpload } from '@tabler/icons-react';
import { useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../../i18n/use-format.ts';
import { useLabels } from '../object-record/labels.ts';
import { ACCEPTED_EXTENSIONS, isAcceptedFile, MAX_FILE_BYTES, PREVIEW_BYTES } from './import-model.ts';
import classes from './imports.module.css';

export interface UploadStepProps {
  objects: ObjectDefinition[];
  objectName: string | null;
  onObjectChange(name: string | null): void;
  file: File | null;
  onFileChange(file: File | null): void;
  isReading: boolean;
  error: string | null;
  onNext(): void;
}

const sizeText = (bytes: number, number: (value: number, precision?: number) => string) => {
  const megabytes = bytes / 1024 / 1024;
  if (megabytes >= 1) return `${number(megabytes, Number.isInteger(megabytes) ? 0 : 1)} MB`;
  return `${number(Math.max(1, Math.round(bytes / 1024)), 0)} KB`;
};

/** Step 1: the object and the file (dropped or picked), with what the import takes. */
export const UploadStep = ({ objects, objectName, onObjectChange, file, onFileChange, isReading, error, onNext }: UploadStepProps) => {
  const { t } = useTranslation();
  const labels = useLabels();
  const format = useFormat();
  const inputId = useId();
  const helpId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [isOver, setIsOver] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);

  const take = (picked: File | undefined) => {
    if (!picked) return;
    if (!isAcceptedFile(picked.name)) {
      setRefusal(t('imports.upload.wrongType', { name: picked.name }));
      return;
    }
    if (picked.size > MAX_FILE_BYTES) {
      setRefusal(t('imports.upload.tooLarge', { name: picked.name, size: sizeText(MAX_FILE_BYTES, format.number) }));
      return;
    }
    setRefusal(null);
    onFileChange(picked);
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setIsOver(false);
    take(event.dataTransfer.files[0]);
  };

  return (
    <Stack gap="lg" maw={760}>
      <Select
        label={t('imports.upload.object')}
        description={t('imports.upload.objectHelp')}
        data={objects.map((object) => ({ value: object.name, label: labels.objectPlural(object) }))}
        value={objectName}
        onChange={onObjectChange}
        allowDeselect={false}
        searchable
        w={360}
      />
      <div
        className={classes.dropZone}
        data-over={isOver || undefined}
        onDragOver={(event) => {
          event.preventDefault();
          setIsOver(true);
        }}
        onDragLeave={() => setIsOver(false)}
        onDrop={onDrop}
      >
        <Stack align="center" gap="xs">
          <IconUpload size={36} aria-hidden className={classes.dropIcon} />
          <Text fw={600}>{t('imports.upload.drop')}</Text>
          <Text size="sm" c="dimmed">
            {t('imports.upload.or')}
          </Text>
          <input
            ref={input}
            id={inputId}
            type="file"
            className={classes.fileInput}
            accept={[...ACCEPTED_EXTENSIONS, 'text/csv', 'text/tab-separated-values', 'text/vcard', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'].join(',')}
            aria-describedby={helpId}
            onChange={(event) => {
              take(event.currentTarget.files?.[0]);
              event.currentTarget.value = '';
            }}
          />
          <Button variant="default" component="label" htmlFor={inputId} leftSection={<IconFileSpreadsheet size={16} aria-hidden />}>
            {t('imports.upload.choose')}
          </Button>
        </Stack>
      </div>
      {file ? (
        <Group gap="xs" role="status">
          <IconFileSpreadsheet size={18} aria-hidden />
          <Text size="sm" fw={600}>
            {file.name}
          </Text>
          <Text size="sm" c="dimmed">
            {sizeText(file.size, format.number)}
          </Text>
        </Group>
      ) : null}
      {refusal ? (
        <Alert color="red" role="alert">
          {refusal}
        </Alert>
      ) : null}
      {error ? (
        <Alert color="red" role="alert" title={t('imports.upload.readFailed')}>
          {error}
        </Alert>
      ) : null}
      <Box id={helpId}>
        <Text size="sm" fw={600} mb={4}>
          {t('imports.upload.limitsTitle')}
        </Text>
        <List size="sm" spacing={2} c="dimmed">
          <List.Item>{t('imports.upload.limitFormats', { size: sizeText(MAX_FILE_BYTES, format.number) })}</List.Item>
          <List.Item>{t('imports.upload.limitHeader')}</List.Item>
          <List.Item>{t('imports.upload.limitEncoding')}</List.Item>
          <List.Item>{t('imports.upload.limitPreview', { size: sizeText(PREVIEW_BYTES, format.number) })}</List.Item>
          <List.Item>{t('imports.upload.limitRows')}</List.Item>
        </List>
      </Box>
      <Group>
        <Button onClick={onNext} disabled={!file || !objectName} loading={isReading}>
          {t('imports.upload.next')}
        </Button>
      </Group>
    </Stack>
  );
};
