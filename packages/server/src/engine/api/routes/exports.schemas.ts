import { problemResponses } from '../openapi/components.ts';
import type { OpenApiPathItem } from '../openapi/openapi-types.ts';
import { WORKSPACE_TAG } from './designer.schemas.ts';
import { EXPORT_FORMATS, type ExportFormat } from '@rapport/common';
import { VCARD_VERSIONS, type VcardVersion } from '../../exports/vcard.ts';

export interface ExportQuerystring {
  format?: ExportFormat;
  filter?: string;
  segment?: string;
  sort?: string;
  fields?: string;
  vcardVersion?: VcardVersion;
}

export const exportQuerystring = {
  type: 'object',
  properties: {
    format: { type: 'string', enum: [...EXPORT_FORMATS], default: 'csv', description: '`csv` (UTF-8 with a byte order mark), `xlsx`, `json` (an array of records as the API returns them) or, for people, `vcf` (vCards).' },
    vcardVersion: { type: 'string', enum: [...VCARD_VERSIONS], default: '4.0', description: 'With `format=vcf`: vCard 4.0 (RFC 6350) or 3.0 (RFC 2426).' },
    filter: { type: 'string', maxLength: 100_000, description: 'A filter as URL-encoded JSON, as for the list endpoint.' },
    segment: { type: 'string', format: 'uuid', description: 'Only the records of this segment (its filter or its members), as for the list endpoint.' },
    sort: { type: 'string', maxLength: 1000, description: 'Comma-separated field names, `-` first for descending.' },
    fields: {
      type: 'string',
      maxLength: 10_000,
      description: 'Comma-separated columns in order (a view\'s visible columns); `id`, `createdAt` and `updatedAt` allowed. Default: `id`, every readable field, `createdAt`, `updatedAt`.',
    },
  },
  additionalProperties: false,
} as const;

export const WORKSPACE_EXPORT_PATHS: Record<string, OpenApiPathItem> = {
  '/api/v1/workspace/export': {
    get: {
      operationId: 'exportWorkspace',
      summary: 'Export the whole workspace as a zip archive',
      description:
        'Streamed: `metadata.json` (every object and field), `records/<object>.jsonl` (every live record, one JSON record per line, as the API returns it) and, last, `manifest.json` (format `rapport.workspace-export`, version 1, the objects with their record counts). Workspace administrators only, with a licence that includes `admin` and `export`; audited as `export.created`.',
      tags: [WORKSPACE_TAG],
      responses: {
        200: { description: 'The archive (`Content-Disposition: attachment`).', content: { 'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip' } } } },
        ...problemResponses([401, 403]),
      },
    },
  },
};
