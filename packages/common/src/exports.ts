/** The formats `GET /records/{object}/export` writes. */
export const EXPORT_FORMATS = ['csv', 'xlsx', 'json', 'vcf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The object whose records export as vCards (people). */
export const VCARD_OBJECT = 'person';

/** The formats an object exports to: vCards are for people. */
export const exportFormatsOf = (object: string): readonly ExportFormat[] => EXPORT_FORMATS.filter((format) => format !== 'vcf' || object === VCARD_OBJECT);
