import { notifications } from '@mantine/notifications';
import { i18n } from '../../i18n/i18n.ts';

/** A short message in the corner (saved, deleted...), announced to screen readers, with a labelled close button. */
export const notify = ({ message, color = 'green' }: { message: string; color?: string }) =>
  notifications.show({ message, color, closeButtonProps: { 'aria-label': i18n.t('common.close') } });
