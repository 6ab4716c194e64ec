import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  subject: string;
  text: string;
  /** The text/calendar parts (invitations: the alternative and the .ics file), as text. */
  calendars: string[];
}

export interface TestMailbox {
  /** `smtp://127.0.0.1:<port>`: give it to the app as RAPPORT_SMTP_URL. */
  url: string;
  messages: ReceivedMail[];
  /** The first message to this address not taken yet (waits for it). */
  takeMailTo(address: string, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/** A real SMTP server on 127.0.0.1 that keeps what it receives, parsed. */
export const startTestMailbox = async (): Promise<TestMailbox> => {
  const messages: ReceivedMail[] = [];
  const taken = new Set<ReceivedMail>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (mail) => {
          messages.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()), subject: mail.subject ?? '', text: mail.text ?? '', calendars: mail.attachments.filter((part) => part.contentType.startsWith('text/calendar')).map((part) => part.content.toString('utf8')) });
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    async takeMailTo(address, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const mail = messages.find((message) => !taken.has(message) && message.to.includes(address.toLowerCase()));
        if (mail) {
          taken.add(mail);
          return mail;
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`No mail to ${address} within ${timeoutMs} ms (received: ${messages.map((m) => m.to.join(',')).join('; ') || 'none'})`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

/** The token of the first Rapport link (`...?token=...`) in a message. */
export const linkTokenOf = (mail: ReceivedMail): string => {
  const match = /https?:\/\/\S+?\?token=([A-Za-z0-9_%-]+)/.exec(mail.text);
  if (!match) throw new Error(`No link in: ${mail.text}`);
  return decodeURIComponent(match[1]!);
};
