import type { IncomingMessage } from 'node:http';
import { BotApiError, badRequest } from './errors.ts';

/** A file part of a multipart request (grammY sends uploads as `attach://<id>` plus a part named `<id>`). */
export interface UploadedFile {
  readonly field: string;
  readonly fileName: string;
  readonly bytes: Buffer;
}

/** Telegram's upload ceiling for bots on the public API; past it the front end answers 413. */
const MAX_REQUEST_BYTES = 50 * 1024 * 1024;

/**
 * One request's parameters, merged from the query string and a JSON, urlencoded or multipart
 * body. Values from forms arrive as strings; the accessors coerce them as Telegram does.
 */
export class Params {
  private readonly raw: Readonly<Record<string, unknown>>;
  private readonly files: ReadonlyMap<string, UploadedFile>;

  constructor(raw: Record<string, unknown>, files: ReadonlyMap<string, UploadedFile> = new Map()) {
    this.raw = raw;
    this.files = files;
  }

  /** Parameters for the call log: uploads replaced by their name and size. */
  toLog(): Record<string, unknown> {
    const logged: Record<string, unknown> = { ...this.raw };
    for (const file of this.files.values()) logged[file.field] = { fileName: file.fileName, size: file.bytes.length };
    return logged;
  }

  /** A string parameter; numbers and booleans are accepted in their text form. */
  optionalString(name: string): string | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw badRequest(`parameter "${name}" must be a string`);
  }

  /** An integer parameter, from a JSON number or a decimal string. */
  optionalInt(name: string): number | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    if (typeof value === 'string' && /^-?\d{1,16}$/.test(value.trim())) return Number(value.trim());
    throw badRequest(`parameter "${name}" must be an integer`);
  }

  /** An integer parameter that must be present; `missing` is Telegram's description without the prefix. */
  requiredInt(name: string, missing: string): number {
    const value = this.optionalInt(name);
    if (value === undefined) throw badRequest(missing);
    return value;
  }

  /** A boolean parameter (`true`/`false`/`1`/`0` in forms). */
  optionalBool(name: string): boolean | undefined {
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === '1' || value === 1) return true;
    if (value === 'false' || value === '0' || value === 0) return false;
    throw badRequest(`parameter "${name}" must be a Boolean`);
  }

  /** A JSON-serialised parameter (forms send objects as JSON text); `unparsable` is Telegram's description. */
  optionalJson(name: string, unparsable: string): unknown {
    const value = this.raw[name];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') return value;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw badRequest(unparsable);
    }
  }

  /** `chat_id`: a number, or an `@username` string. */
  chatId(): number | string {
    const value = this.optionalString('chat_id');
    if (value === undefined || value === '') throw badRequest('chat_id is empty');
    return /^-?\d{1,16}$/.test(value.trim()) ? Number(value.trim()) : value;
  }

  /** A file parameter: an upload (direct or `attach://`), or a string (file_id or URL). */
  file(name: string): UploadedFile | string | undefined {
    const direct = this.files.get(name);
    if (direct !== undefined) return direct;
    const value = this.optionalString(name);
    const attached = value?.startsWith('attach://') === true ? this.files.get(value.slice('attach://'.length)) : undefined;
    if (value?.startsWith('attach://') === true && attached === undefined) {
      throw badRequest(`wrong HTTP URL specified: file "${value}" is not attached`);
    }
    return attached ?? value;
  }
}

/** Reads and merges a request's query string and body into {@link Params}. */
export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const raw: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const body = await readBody(req);
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (body.length === 0) return new Params(raw);
  if (type.startsWith('application/json')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw badRequest('JSON object expected');
    return new Params({ ...raw, ...(parsed as Record<string, unknown>) });
  }
  if (type.startsWith('application/x-www-form-urlencoded')) {
    return new Params({ ...raw, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) });
  }
  if (type.startsWith('multipart/form-data')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(req.headers['content-type'] ?? '')?.[1];
    if (boundary === undefined) throw badRequest('multipart boundary is missing');
    const { fields, files } = parseMultipart(body, boundary);
    return new Params({ ...raw, ...fields }, files);
  }
  return new Params(raw);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) throw new BotApiError(413, 'Request Entity Too Large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function parseMultipart(body: Buffer, boundary: string): { fields: Record<string, string>; files: Map<string, UploadedFile> } {
  const fields: Record<string, string> = {};
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw badRequest('multipart body has no boundary');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break;
    if (body.subarray(pos, pos + 2).toString() === '\r\n') pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    const next = headerEnd < 0 ? -1 : body.indexOf(separator, headerEnd + 4);
    if (next < 0) throw badRequest('multipart body is truncated');
    // grammY writes headers as `content-disposition:form-data;name="x";filename=y` (no spaces,
    // unquoted filename), so match leniently.
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const disposition = /content-disposition:\s*([^\r\n]*)/i.exec(headers)?.[1] ?? '';
    const name = /(?:^|;)\s*name="?([^";]*)"?/i.exec(disposition)?.[1];
    const fileName = /(?:^|;)\s*filename="?([^";]*)"?/i.exec(disposition)?.[1];
    const content = body.subarray(headerEnd + 4, next);
    if (name !== undefined && fileName !== undefined) files.set(name, { field: name, fileName, bytes: Buffer.from(content) });
    else if (name !== undefined) fields[name] = content.toString('utf8');
    pos = next + 2;
  }
  return { fields, files };
}
