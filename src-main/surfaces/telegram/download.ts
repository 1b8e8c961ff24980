/**
 * Downloads a file a user sent: getFile through the outbox, then the bytes from Telegram's file
 * endpoint, streamed to a new 0600 file with the size limit enforced while reading.
 */
import { constants } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import type { Writer } from './writer.ts';

/** A file is larger than allowed, or Telegram would not serve it. */
export class AttachmentDownloadError extends Error {
  override readonly name = 'AttachmentDownloadError';
  constructor(message: string) {
    super(message);
  }
}

/**
 * Creates the downloader for one bot. The URL holds the token: it is never logged or shown.
 * Aborting `signal` (the bot stopping) ends every download still running.
 */
export function createDownloader(deps: { writer: Writer; apiRoot: string; token: string; fetch: typeof fetch; timeoutMs: number; signal?: AbortSignal }) {
  return async (fileId: string, dest: string, maxBytes: number): Promise<number> => {
    const reply = await deps.writer.call('getFile', { file_id: fileId });
    const info = reply.status === 'ok' ? (reply.result as { file_path?: unknown; file_size?: unknown }) : {};
    if (typeof info.file_path !== 'string') throw new AttachmentDownloadError('Telegram did not give a path for this file; send it again.');
    if (typeof info.file_size === 'number' && info.file_size > maxBytes) throw tooBig(maxBytes);
    const path = info.file_path.split('/').map(encodeURIComponent).join('/');
    const res = await deps.fetch(`${deps.apiRoot}/file/bot${deps.token}/${path}`, {
      signal: deps.signal ? AbortSignal.any([deps.signal, AbortSignal.timeout(deps.timeoutMs)]) : AbortSignal.timeout(deps.timeoutMs),
    });
    if (!res.ok || !res.body) throw new AttachmentDownloadError(`Telegram's file server answered HTTP ${res.status}; send the file again.`);
    // The file was reserved empty (0600) by reserveAttachment; never follow a link put in its place.
    const handle = await open(dest, constants.O_WRONLY | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0));
    let size = 0;
    try {
      for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
        size += chunk.length;
        if (size > maxBytes) throw tooBig(maxBytes);
        await handle.write(chunk);
      }
    } catch (err) {
      await handle.close();
      await unlink(dest).catch(() => undefined);
      throw err;
    }
    await handle.close();
    return size;
  };
}

function tooBig(maxBytes: number): AttachmentDownloadError {
  return new AttachmentDownloadError(`The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB, the most Reins accepts from Telegram.`);
}
