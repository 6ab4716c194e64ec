import type { ObjectDefinition } from '@rapport/common';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../labels.ts';
import type { FilterTarget } from './filter-model.ts';

/** How the filter bar and builder name a target: "Related to", "Address · City", "Related to · Object". */
export const useFilterTargetLabel = (object: ObjectDefinition) => {
  const { t } = useTranslation();
  const labels = useLabels();
  return (target: FilterTarget) => {
    const label = labels.field(object, target.field);
    if (!target.part) return label;
    return `${label} · ${target.part === 'object' ? t('filters.referenceObject') : t(`address.${target.part}`)}`;
  };
};
