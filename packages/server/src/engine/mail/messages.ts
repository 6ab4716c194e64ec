import type { MailMessage } from './mailer.ts';

const days = (until: Date) => Math.max(1, Math.round((until.getTime() - Date.now()) / 86_400_000));

export const invitationMessage = (options: { to: string; workspaceName: string; inviterName: string | null; url: string; expiresAt: Date }): MailMessage => ({
  to: options.to,
  subject: `You are invited to ${options.workspaceName} on Rapport`,
  text: [
    `${options.inviterName ?? 'An administrator'} invited you to the workspace "${options.workspaceName}" on Rapport.`,
    '',
    'Choose your password to get in:',
    options.url,
    '',
    `The link works once and expires in ${days(options.expiresAt)} days.`,
  ].join('\n'),
});

export const passwordResetMessage = (options: { to: string; url: string; expiresInMinutes: number }): MailMessage => ({
  to: options.to,
  subject: 'Reset your Rapport password',
  text: [
    'Someone (hopefully you) asked to reset the password of your Rapport account.',
    '',
    'Choose a new password here:',
    options.url,
    '',
    `The link works once and expires in ${options.expiresInMinutes} minutes. If you did not ask, ignore this message: your password stays as it is.`,
  ].join('\n'),
});
