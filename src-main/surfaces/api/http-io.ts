import type { IncomingMessage, ServerResponse } from 'node:http';
import { ZodError } from 'zod';
import type { ApiErrorBody, ApiErrorCode } from '../../contract/index.ts';
import { ReinsError } from '../../core/errors.ts';

/** Largest accepted request body. */
const MAX_BODY_BYTES = 1024 * 1024;

const STATUS: Record<ApiErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  bad_request: 400,
  conflict: 409,
  already_decided: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
};

/** An error answered with a specific API code (raised by the HTTP layer itself). */
export class HttpError extends ReinsError {
  override name = 'HttpError';
}

/** A handler's answer that is a file to download rather than JSON. */
export class FileBody {
  readonly fileName: string;
  readonly contentType: string;
  readonly body: string;
  constructor(file: { fileName: string; contentType: string; body: string }) {
    this.fileName = file.fileName;
    this.contentType = file.contentType;
    this.body = file.body;
  }
}

/** Sends a file as an attachment; the name is already safe (letters, digits, `-`, `_`, `.`). */
export function sendFile(res: ServerResponse, status: number, file: FileBody): void {
  res.writeHead(status, {
    'content-type': file.contentType,
    'content-length': Buffer.byteLength(file.body),
    'content-disposition': `attachment; filename="${file.fileName}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(file.body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

export function sendError(res: ServerResponse, code: ApiErrorCode, message: string, details?: unknown): void {
  const body: ApiErrorBody = { error: details === undefined ? { code, message } : { code, message, details } };
  sendJson(res, STATUS[code], body);
}

/** Maps any thrown value to an API error answer; unknown errors become a generic 500. */
export function sendThrown(res: ServerResponse, err: unknown): void {
  if (err instanceof ZodError) {
    return sendError(res, 'bad_request', err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '), err.issues);
  }
  if (err instanceof ReinsError) return sendError(res, err.code, err.message, err.details);
  sendError(res, 'internal', 'Internal error; see the Reins log for details.');
}

/** Reads and parses a JSON body (empty body → `{}`), refusing oversized or non-JSON input. */
export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError('payload_too_large', `Request body over ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  // The media type exactly: `text/plain; x=application/json` is not JSON (a cross-site form can send
  // text/plain without a preflight).
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType !== 'application/json') throw new HttpError('unsupported_media_type', 'Send the body as JSON with content-type: application/json.');
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError('bad_request', 'The request body is not valid JSON.');
  }
}
