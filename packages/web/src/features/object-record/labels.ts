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
