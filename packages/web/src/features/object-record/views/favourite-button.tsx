import { ActionIcon, Tooltip } from '@mantine/core';
import { IconStar, IconStarFilled } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { problemMessage } from '../../../api/problem-messages.ts';
import { notify } from '../../../components/ui/notify.ts';
import { findFavourite, useFavouriteMutations, useFavourites, type FavouriteTarget } from './views-api.ts';

/** A star that pins a view or a record to the navigation's favourites, or unpins it. */
export const FavouriteButton = ({ target, name }: { target: FavouriteTarget; name: string }) => {
  const { t } = useTranslation();
  const favourites = useFavourites();
  const { add, remove } = useFavouriteMutations();
  // A caller without favourites (an API key without a user) gets no star.
  if (favourites.isError) return null;
  const favourite = findFavourite(favourites.data, target);
  const label = favourite ? t('savedViews.unfavourite', { name }) : t('savedViews.favourite', { name });
  const onClick = () => {
    const done = { onError: (error: unknown) => notify({ message: problemMessage(t, error), color: 'red' }) };
    if (favourite) remove.mutate(favourite.id, done);
    else add.mutate(target, done);
  };
  return (
    <Tooltip label={label} withinPortal>
      <ActionIcon
        variant="subtle"
        color={favourite ? 'yellow' : 'gray'}
        size="lg"
        aria-label={label}
        aria-pressed={Boolean(favourite)}
        loading={add.isPending || remove.isPending || favourites.isLoading}
        onClick={onClick}
      >
        {favourite ? <IconStarFilled size={18} aria-hidden /> : <IconStar size={18} aria-hidden />}
      </ActionIcon>
    </Tooltip>
  );
};
