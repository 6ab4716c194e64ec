import type { FieldDefinition, ObjectDefinition, SelectChoice } from '@rapport/common';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

// Standard objects ship with English labels. Show them in the interface language, unless the
// workspace relabelled them (then the label is the workspace's own and shown as written).
export const useLabels = () => {
  const { t, i18n } = useTranslation();
  return useMemo(() => {
    const english = i18n.getFixedT('en');
    const translated = (key: string, label: string): string => {
      if (!i18n.exists(key, { lng: 'en' })) return label;
      return (english as (key: string) => string)(key) === label ? (t as (key: string) => string)(key) : label;
    };
    return {
      objectSingular: (object: ObjectDefinition) => (object.isStandard ? translated(`standard.objects.${object.name}.singular`, object.labelSingular) : object.labelSingular),
      objectPlural: (object: ObjectDefinition) => (object.isStandard ? translated(`standard.objects.${object.name}.plural`, object.labelPlural) : object.labelPlural),
      field: (object: ObjectDefinition, field: FieldDefinition) =>
        object.isStandard || field.isStandard ? translated(`standard.fields.${object.name}.${field.name}`, field.label) : field.label,
      choice: (object: ObjectDefinition, field: FieldDefinition, choice: SelectChoice) =>
        field.isStandard || object.isStandard ? translated(`standard.choices.${object.name}.${field.name}.${choice.value}`, choice.label) : choice.label,
    };
  }, [t, i18n]);
};

export type Labels = ReturnType<typeof useLabels>;

// A capitalised word ("Opportunities", "Sales"), not an acronym or a mixed-case name ("SLA", "iPhone", "McKay").
const CAPITALISED_WORD = /^\p{Lu}\p{Ll}+$/u;

/**
 * A label as it reads inside a sentence of `language`: "No opportunities yet", not "No Opportunities yet".
 * Only English templates use a label as a common noun; the French and Russian ones quote it as a name
 * ("Aucune fiche (Opportunités)", «Сделки»), German capitalises nouns and Chinese has no case, so there
 * the label is kept as written.
 */
export const labelInSentence = (label: string, language: string): string => {
  if (!language.toLowerCase().startsWith('en')) return label;
  return label
    .split(/(\s+)/)
    .map((word) => (CAPITALISED_WORD.test(word) ? word.toLocaleLowerCase('en') : word))
    .join('');
};

/** Object labels for use inside a sentence of the interface language (see labelInSentence). */
export const useSentenceLabels = () => {
  const labels = useLabels();
  const { i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? i18n.language;
  return useMemo(
    () => ({
      objectSingular: (object: ObjectDefinition) => labelInSentence(labels.objectSingular(object), language),
      objectPlural: (object: ObjectDefinition) => labelInSentence(labels.objectPlural(object), language),
      text: (label: string) => labelInSentence(label, language),
    }),
    [labels, language],
  );
};
