import { EXPORT_FORMATS, type ExportFormat } from '../../exports/export-records.ts';

export interface ExportQuerystring {
  format?: ExportFormat;
  filter?: string;
  sort?: string;
  fields?: string;
}

export const exportQuerystring = {
  type: 'object',
  properties: {
    format: { type: 'string', enum: [...EXPORT_FORMATS], default: 'csv', description: '`csv` (UTF-8 with a byte order mark), `xlsx` or `json` (an array of records as the API returns them).' },
    filter: { type: 'string', maxLength: 100_000, description: 'A filter as URL-encoded JSON, as for the list endpoint.' },
    sort: { type: 'string', maxLength: 1000, description: 'Comma-separated field names, `-` first for descending.' },
    fields: {
      type: 'string',
      maxLength: 10_000,
      description: 'Comma-separated columns in order (a view\'s visible columns); `id`, `createdAt` and `updatedAt` allowed. Default: `id`, every readable field, `createdAt`, `updatedAt`.',
    },
  },
  additionalProperties: false,
} as const;
