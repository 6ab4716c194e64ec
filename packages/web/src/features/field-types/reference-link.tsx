import type { FieldDefinition, ObjectDefinition, RecordReference } from '@rapport/common';
import { memo } from 'react';
import { findObject, paths } from '../object-record/metadata.ts';
import { objectIconOf } from '../object-record/object-icon.tsx';
import { plainTitleOf, useRecordTitle } from '../object-record/record-titles.ts';
import classes from './field-value.module.css';
import { includedRecordOf, referenceOf, soleTargetOf } from './reference-value.ts';
import { useValueContext } from './value-context.tsx';

export interface ReferenceLinkProps {
  field: FieldDefinition;
  value: unknown;
  objects: readonly ObjectDefinition[];
  isCompact: boolean;
}

// The link itself, once the title is known (undefined: the record has no title; null: the reader cannot see it).
const Link = ({ reference, target, title, isCompact, showsObject }: { reference: RecordReference; target: ObjectDefinition | undefined; title: string | undefined | null; isCompact: boolean; showsObject: boolean }) => {
  const { t, labels } = useValueContext();
  const objectLabel = target ? labels.objectSingular(target) : reference.object;
  if (title === null) {
    // A record in the trash, or one the reader may not see: nothing to open.
    return (
      <span className={classes.empty} title={t('fieldValue.referenceHidden', { object: objectLabel })} aria-label={t('fieldValue.referenceHidden', { object: objectLabel })}>
        —
      </span>
    );
  }
  const Glyph = target ? objectIconOf(target) : undefined;
  const text = title ?? t('fieldValue.untitled');
  return (
    <span className={isCompact ? classes.referenceLine : classes.reference}>
      {showsObject && Glyph ? (
        // The object: an icon in a cell (named for screen readers and on hover), with its name on a record page.
        <span className={classes.referenceObject} title={objectLabel} role={isCompact ? 'img' : undefined} aria-label={isCompact ? objectLabel : undefined}>
          <Glyph size={14} aria-hidden />
          {isCompact ? null : <span>{objectLabel}</span>}
        </span>
      ) : null}
      <a href={paths.record(reference.object, reference.id)} className={classes.link} data-app-link title={isCompact ? `${objectLabel}: ${text}` : undefined}>
        {text}
      </a>
    </span>
  );
};

// Not read with `include` (a history entry, a list read without it): the title comes from one query per object.
const FetchedLink = ({ reference, target, isCompact, showsObject }: { reference: RecordReference; target: ObjectDefinition | undefined; isCompact: boolean; showsObject: boolean }) => {
  const { data } = useRecordTitle(reference);
  if (data === undefined) {
    return (
      <span className={isCompact ? classes.referenceLine : classes.reference}>
        <a href={paths.record(reference.object, reference.id)} className={classes.link} data-app-link>
          …
        </a>
      </span>
    );
  }
  return <Link reference={reference} target={target} title={data ? data.title : null} isCompact={isCompact} showsObject={showsObject} />;
};

/**
 * A reference's value: a link to the record named by its title, after the object's icon (and name, on a record
 * page) unless the field points to one object only. The record comes with the value when read with `include`;
 * otherwise its title is read (batched with the other titles on screen).
 */
export const ReferenceLink = memo(({ field, value, objects, isCompact }: ReferenceLinkProps) => {
  const reference = referenceOf(value);
  if (!reference) return <span className={classes.empty}>—</span>;
  const target = findObject(objects, reference.object);
  const showsObject = !soleTargetOf(field);
  const included = includedRecordOf(value);
  if (included === undefined) return <FetchedLink reference={reference} target={target} isCompact={isCompact} showsObject={showsObject} />;
  return <Link reference={reference} target={target} title={included === null ? null : plainTitleOf(target, included)} isCompact={isCompact} showsObject={showsObject} />;
});
ReferenceLink.displayName = 'ReferenceLink';
