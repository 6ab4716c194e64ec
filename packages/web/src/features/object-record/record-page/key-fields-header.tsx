import type { FieldDefinition, ObjectDefinition } from '@rapport/common';
import type { ApiRecord } from '../../../api/types.ts';
import { FieldValue } from '../../field-types/field-value.tsx';
import { useLabels } from '../labels.ts';
import classes from './record-page.module.css';

/** The record's key fields (key-fields.ts) in a row under its title: label above value, wrapping on narrow screens. */
export const KeyFields = ({ object, fields, record, objects }: { object: ObjectDefinition; fields: readonly FieldDefinition[]; record: ApiRecord; objects: readonly ObjectDefinition[] }) => {
  const labels = useLabels();
  if (fields.length === 0) return null;
  return (
    <dl className={classes.keyFields}>
      {fields.map((field) => (
        <div key={field.name} className={classes.keyField}>
          <dt className={classes.label}>{labels.field(object, field)}</dt>
          <dd className={classes.value}>
            <FieldValue object={object} field={field} value={record[field.name]} objects={objects} isCompact />
          </dd>
        </div>
      ))}
    </dl>
  );
};
