import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** Today as `YYYY-MM-DD` (UTC), for the names of downloaded files. */
export const fileDay = (): string => new Date().toISOString().slice(0, 10);

/** A file to save, streamed: its type, the name the browser saves it under, and never a cached copy. */
export const sendAttachment = (reply: FastifyReply, { type, fileName, body }: { type: string; fileName: string; body: Readable }) =>
  reply.type(type).header('content-disposition', `attachment; filename="${fileName}"`).header('cache-control', 'no-store').send(body);
