import type { Transporter } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** A calendar invitation (RFC 5546): sent as the `text/calendar` alternative calendar apps act on, and as an .ics file. */
  icalEvent?: { method: 'REQUEST' | 'CANCEL' | 'REPLY' | 'PUBLISH'; content: string; filename?: string };
  /** Where replies go (e.g. the meeting's organiser rather than the server's address). */
  replyTo?: string;
}

/** Where mail goes: an SMTP server, or the log when none is configured. Third-party services plug in here. */
export interface Mailer {
  /** False when mail only goes to the log (no RAPPORT_SMTP_URL). */
  readonly isDelivering: boolean;
  send(message: MailMessage): Promise<void>;
  close(): void;
}

export interface MailLogger {
  info(object: object, message: string): void;
}

export interface CreateMailerOptions {
  /** `smtp://user:password@host:587` or `smtps://...:465`; absent: mail is written to the log. */
  smtpUrl?: string | undefined;
  from: string;
  logger: MailLogger;
}

export const createMailer = ({ smtpUrl, from, logger }: CreateMailerOptions): Mailer => (smtpUrl ? createSmtpMailer(smtpUrl, from) : createLogMailer(logger));

const createSmtpMailer = (smtpUrl: string, from: string): Mailer => {
  // Loaded on first send: the CLI and servers that never send mail skip nodemailer's start-up cost.
  let transport: Promise<Transporter> | undefined;
  const getTransport = () => (transport ??= import('nodemailer').then(({ createTransport }) => createTransport(smtpUrl)));
  return {
    isDelivering: true,
    async send(message) {
      const { icalEvent, replyTo } = message;
      await (await getTransport()).sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(replyTo ? { replyTo } : {}),
        ...(icalEvent ? { icalEvent: { method: icalEvent.method, content: icalEvent.content, filename: icalEvent.filename ?? 'invite.ics' } } : {}),
      });
    },
    close: () => void transport?.then((opened) => opened.close()),
  };
};

// Without SMTP a lone user can still invite people: the message, with its link, is in the server log.
const createLogMailer = (logger: MailLogger): Mailer => ({
  isDelivering: false,
  async send(message) {
    logger.info({ mail: message }, `mail to ${message.to} (no RAPPORT_SMTP_URL, so it is only logged): ${message.subject}\n${message.text}`);
  },
  close: () => undefined,
});
