/** lowerCamelCase API name → snake_case SQL identifier. */
export const toSnakeCase = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z])([A-Z][a-z])/g, '$1_$2').toLowerCase();

// PostgreSQL truncates identifiers at 63 bytes; leave room for suffixes like `_postal_code`.
const MAX_BASE = 40;

/** A column name derived from the field name, unique among `taken`; kept when the field is renamed. */
export const pickColumnName = (fieldName: string, taken: ReadonlySet<string>, suffix = ''): string => {
  const base = `${toSnakeCase(fieldName).slice(0, MAX_BASE)}${suffix}`;
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
};

/** `acme corp` → `ws_acme_corp_1a2b3c`: readable in psql, unique by the id suffix. */
export const workspaceSchemaName = (name: string, id: string): string => {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 30);
  return `ws_${slug || 'workspace'}_${id.replace(/-/g, '').slice(0, 8)}`;
};
