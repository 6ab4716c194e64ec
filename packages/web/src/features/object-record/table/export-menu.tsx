import { exportFormatsOf, type ExportFormat, type Filter, type ObjectDefinition } from '@rapport/common';
import { Button, Menu, Text } from '@mantine/core';
import { IconAddressBook, IconBraces, IconChevronDown, IconDownload, IconFileSpreadsheet, IconFileTypeCsv } from '@tabler/icons-react';
import { useState, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { apiDownload, isApiError } from '../../../api/client.ts';
import { saveBlob } from '../../../api/download.ts';
import { isPlainClick } from '../../../app/app-links.ts';
import { problemMessage } from '../../../api/problem-messages.ts';
import { notify } from '../../../components/ui/notify.ts';
import { useSentenceLabels } from '../labels.ts';
import { exportFileName, exportUrlOf } from './export-url.ts';

export interface ExportMenuProps {
  object: ObjectDefinition;
  /** The filter the table uses (rules and quick search). */
  filter: Filter | undefined;
  /** The segment the table shows, if any. */
  segment?: string | undefined;
  /** The table's sort specs, in order. */
  sort: readonly string[];
  /** Column ids in display order, and those hidden. */
  columnOrder: readonly string[];
  hiddenColumns: readonly string[];
}

const ICONS: Record<ExportFormat, ReactNode> = {
  csv: <IconFileTypeCsv size={16} aria-hidden />,
  xlsx: <IconFileSpreadsheet size={16} aria-hidden />,
  json: <IconBraces size={16} aria-hidden />,
  vcf: <IconAddressBook size={16} aria-hidden />,
};

/**
 * "Export": the records of the current view (its filter, sort and visible columns in their order) as
 * CSV, Excel or JSON, from `GET /records/{object}/export`. The client cannot know whether the role may
 * export, so each item is a real link (copy it, open it) that the page downloads itself: a refusal then
 * shows the API's reason instead of a file holding a problem document.
 */
export const ExportMenu = ({ object, filter, segment, sort, columnOrder, hiddenColumns }: ExportMenuProps) => {
  const { t } = useTranslation();
  const sentence = useSentenceLabels();
  const [pending, setPending] = useState<ExportFormat | null>(null);

  const download = async (event: MouseEvent<HTMLAnchorElement>, format: ExportFormat) => {
    // A modified click (new tab, save link as) keeps the browser's own way.
    if (!isPlainClick(event.nativeEvent)) return;
    event.preventDefault();
    const url = event.currentTarget.href;
    setPending(format);
    try {
      const response = await apiDownload(url, format === 'json' ? 'application/json' : '*/*');
      saveBlob(await response.blob(), exportFileName(response.headers.get('content-disposition'), object.name, format));
    } catch (error) {
      // The two refusals people meet get a sentence of their own; anything else, the API's reason.
      const reason = isApiError(error, 'FORBIDDEN')
        ? t('export.forbidden', { name: sentence.objectPlural(object) })
        : isApiError(error, 'LICENCE_FEATURE_REQUIRED')
          ? t('export.licence')
          : problemMessage(t, error);
      notify({ color: 'red', message: t('export.failed', { reason }) });
    } finally {
      setPending(null);
    }
  };

  return (
    <Menu position="bottom-end" shadow="md" width={280} withinPortal transitionProps={{ duration: 0 }}>
      <Menu.Target>
        <Button variant="default" loading={pending !== null} leftSection={<IconDownload size={16} aria-hidden />} rightSection={<IconChevronDown size={14} aria-hidden />}>
          {t('export.button')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>{t('export.title')}</Menu.Label>
        {exportFormatsOf(object.name).map((format) => {
          const href = exportUrlOf({ object: object.name, format, filter, segment, sort, columnOrder, hiddenColumns });
          return (
            <Menu.Item key={format} component="a" href={href} download leftSection={ICONS[format]} onClick={(event: MouseEvent<HTMLAnchorElement>) => void download(event, format)}>
              {t(`export.formats.${format}`)}
            </Menu.Item>
          );
        })}
        <Menu.Divider />
        <Text size="xs" c="dimmed" px="sm" py={6}>
          {t('export.help')}
        </Text>
      </Menu.Dropdown>
    </Menu>
  );
};
