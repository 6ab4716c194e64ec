import { randomBytes } from 'node:crypto';
import type { TestApp } from './test-app.ts';

export interface MultipartFile {
  name: string;
  content: string | Buffer;
}

/** A multipart/form-data body: the text fields first, then the file (as browsers and curl -F send them). */
export const multipartBody = (fields: Record<string, string>, file?: MultipartFile): { body: Buffer; contentType: string } => {
  const boundary = `----rapport${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${file.name}"\r\ncontent-type: application/octet-stream\r\n\r\n`));
    parts.push(typeof file.content === 'string' ? Buffer.from(file.content) : file.content);
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
};

/** Posts a multipart form through the real HTTP stack, as the test app's key or the token given. */
export const postMultipart = async (t: TestApp, url: string, fields: Record<string, string>, file?: MultipartFile, token = t.token) => {
  const { body, contentType } = multipartBody(fields, file);
  const response = await t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload: body });
  return { status: response.statusCode, headers: response.headers, body: response.body ? (JSON.parse(response.body) as any) : undefined };
};

/** Polls an import until it (or its undo, with `undo`) is no longer queued or running. */
export const waitForImport = async (t: TestApp, id: string, { undo = false, timeoutMs = 60_000, token = t.token } = {}) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await t.request('GET', `/api/v1/imports/${id}`, undefined, { authorization: `Bearer ${token}` });
    if (response.status !== 200) throw new Error(`GET import answered ${response.status}: ${JSON.stringify(response.body)}`);
    const status = undo ? response.body.undo?.status : response.body.status;
    if (status === 'completed' || status === 'failed') return response.body;
    if (Date.now() > deadline) throw new Error(`Import ${id} still ${String(status)}: ${JSON.stringify(response.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/** A CSV text from rows of cells (quoted where needed). */
export const toCsv = (rows: (string | number)[][]): string =>
  rows.map((row) => row.map((cell) => (/[",\r\n]/.test(String(cell)) ? `"${String(cell).replaceAll('"', '""')}"` : String(cell))).join(',')).join('\r\n') + '\r\n';
