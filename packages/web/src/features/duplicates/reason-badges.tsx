import type { DuplicateReason } from '@rapport/common';
import { Badge, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** Why two records look alike: "Same email", "Similar name"... */
export const ReasonBadges = ({ reasons }: { reasons: readonly DuplicateReason[] }) => {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="wrap" component="span">
      {reasons.map((reason) => (
        <Badge key={reason} size="sm" variant="light" color={reason === 'name' ? 'gray' : 'orange'}>
          {t(`duplicates.reasons.${reason}`)}
        </Badge>
      ))}
    </Group>
  );
};
