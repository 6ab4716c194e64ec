import type { ObjectDefinition } from '@rapport/common';
import { Button } from '@mantine/core';
import { IconCopy, IconExternalLink } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { ApiRecord } from '../../api/types.ts';
import { notify } from '../../components/ui/notify.ts';

/** The public address of a booking page, on this server. */
export const publicBookingUrl = (slug: string) => `${window.location.origin}/book/${encodeURIComponent(slug)}`;

/** On a booking page's record: copy its public link, or open it as a visitor sees it. Nothing on other objects. */
export const BookingPageLinks = ({ object, record }: { object: ObjectDefinition; record: ApiRecord }) => {
  const { t } = useTranslation();
  if (object.name !== 'bookingPage' || typeof record.slug !== 'string' || record.slug === '') return null;
  const url = publicBookingUrl(record.slug);
  const onCopy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      notify({ message: t('booking.linkCopied') });
    } catch {
      // No clipboard (an insecure origin, a refused permission): show the link to copy by hand.
      notify({ message: url, color: 'blue' });
    }
  };
  return (
    <>
      <Button variant="default" leftSection={<IconCopy size={16} aria-hidden />} onClick={() => void onCopy()}>
        {t('booking.copyLink')}
      </Button>
      <Button component="a" href={url} target="_blank" rel="noopener" variant="default" leftSection={<IconExternalLink size={16} aria-hidden />}>
        {t('booking.openPage')}
      </Button>
    </>
  );
};
