import { CONFIGURATION_FORMAT, CONFIGURATION_SECTIONS, CONFIGURATION_VERSION, type ConfigurationSection, type FieldError } from '@rapport/common';
import { validationFailed } from '../errors.ts';
import { sortKeys, splitKey, type ConfigurationSections } from './configuration-sections.ts';

export type ConfigurationFormat = 'yaml' | 'json';

/** A document as read: the sections it holds (a section left out of a file is left as it is by a deployment). */
export type PartialSections = Partial<ConfigurationSections>;

// Loaded when a document is first read or written, not at start-up (about 50 ms for a rarely used route).
const loadYaml = () => import('yaml');

/**
 * The configuration document: format and version first, then the sections in the order a deployment applies
 * them, every map sorted by key. Two exports of one configuration differ only in `exportedAt`.
 */
export const writeConfigurationDocument = async (options: { workspaceName: string; sections: ConfigurationSections; format: ConfigurationFormat; exportedAt?: Date }): Promise<string> => {
  const document = {
    format: CONFIGURATION_FORMAT,
    version: CONFIGURATION_VERSION,
    exportedAt: (options.exportedAt ?? new Date()).toISOString(),
    workspace: { name: options.workspaceName },
    ...Object.fromEntries(CONFIGURATION_SECTIONS.map((section) => [section, sortKeys(options.sections[section])])),
  };
  return options.format === 'json' ? `${JSON.stringify(document, null, 2)}\n` : (await loadYaml()).stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
};

const isMap = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const KEY = /^[a-z][a-zA-Z0-9]{0,62}$/;

const checkEntries = (section: ConfigurationSection, entries: Record<string, unknown>, errors: FieldError[]) => {
  for (const [key, entry] of Object.entries(entries)) {
    const at = `${section}.${key}`;
    const [object, name] = splitKey(key);
    const isKeyed = section === 'fields' || section === 'views';
    if (section !== 'roles' && !KEY.test(object)) errors.push({ field: at, code: 'invalidFormat', message: `"${object}" is not an object name (lowerCamelCase).` });
    if (isKeyed && name === '') errors.push({ field: at, code: 'invalidFormat', message: `Keys of ${section} are "object.name".` });
    if (section === 'validationRules') {
      if (!Array.isArray(entry)) errors.push({ field: at, code: 'invalidType', message: 'A list of rules (expression, message, field).' });
      continue;
    }
    if (!isMap(entry)) {
      errors.push({ field: at, code: 'invalidType', message: 'Expected a map of properties.' });
      continue;
    }
    const text = (property: string) => {
      if (typeof entry[property] !== 'string' || (entry[property] as string).trim() === '') errors.push({ field: `${at}.${property}`, code: 'required', message: `${property} is required (text).` });
    };
    if (section === 'objects') ['labelSingular', 'labelPlural'].forEach(text);
    if (section === 'fields') ['type', 'label'].forEach(text);
    if (section === 'views') text('type');
    if (section === 'roles') text('recordAccess');
    if (section === 'layouts' && !Array.isArray(entry.sections)) errors.push({ field: `${at}.sections`, code: 'required', message: 'A layout is a list of sections.' });
  }
};

/**
 * Reads a document (YAML, or JSON which YAML includes); a bad document is VALIDATION_FAILED with the path of
 * each problem in the document (`fields.person.nickname.type`).
 */
export const parseConfigurationDocument = async (text: string): Promise<PartialSections> => {
  const { parse } = await loadYaml();
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw validationFailed([{ field: 'document', code: 'invalidFormat', message: `Not YAML or JSON: ${(error as Error).message.split('\n')[0]}` }], 'The configuration document cannot be read.');
  }
  if (!isMap(document)) throw validationFailed([{ field: 'document', code: 'invalidType', message: 'A configuration document is a map (format, version, sections).' }], 'The configuration document cannot be read.');
  const errors: FieldError[] = [];
  if (document.format !== CONFIGURATION_FORMAT) errors.push({ field: 'format', code: 'invalidChoice', message: `Expected "${CONFIGURATION_FORMAT}".` });
  if (document.version !== CONFIGURATION_VERSION) errors.push({ field: 'version', code: 'invalidChoice', message: `This server reads version ${CONFIGURATION_VERSION}.` });
  const known = new Set<string>(['format', 'version', 'exportedAt', 'workspace', ...CONFIGURATION_SECTIONS]);
  for (const key of Object.keys(document)) if (!known.has(key)) errors.push({ field: key, code: 'unknownField', message: `Unknown section "${key}". Sections: ${CONFIGURATION_SECTIONS.join(', ')}.` });
  const sections: PartialSections = {};
  for (const section of CONFIGURATION_SECTIONS) {
    const value = document[section];
    if (value === undefined) continue;
    // An empty section in YAML reads as null: nothing in it.
    if (value === null) {
      sections[section] = {};
      continue;
    }
    if (!isMap(value)) {
      errors.push({ field: section, code: 'invalidType', message: 'A section is a map keyed by name.' });
      continue;
    }
    checkEntries(section, value, errors);
    (sections as Record<string, unknown>)[section] = value;
  }
  if (sections.fields && sections.objects) {
    for (const key of Object.keys(sections.fields)) {
      const [object] = splitKey(key);
      if (!(object in sections.objects)) errors.push({ field: `fields.${key}`, code: 'relationNotFound', message: `No object "${object}" in the objects section.` });
    }
  }
  if (errors.length > 0) throw validationFailed(errors, 'The configuration document is invalid; nothing was changed.');
  return sections;
};
