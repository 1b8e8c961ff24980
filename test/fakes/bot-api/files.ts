import { randomBytes } from 'node:crypto';
import { extname } from 'node:path';

/** Bots may download files up to 20 MB through getFile; bigger ones get "file is too big". */
export const MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024;

/** A file Telegram holds: what getFile describes and `/file/bot<token>/<file_path>` serves. */
export interface StoredFile {
  readonly fileId: string;
  readonly fileUniqueId: string;
  readonly filePath: string;
  readonly bytes: Buffer;
  readonly fileName: string | undefined;
  readonly mimeType: string | undefined;
}

/** Where a file lives on Telegram's file server; decides the file_path folder and id prefix. */
export type FileKind = 'photos' | 'documents';

/** Files uploaded by the bot or sent by test users, addressable by file_id and by file_path. */
export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  private count = 0;

  /** Stores bytes and returns the file's identifiers. */
  add(bytes: Uint8Array, kind: FileKind, fileName?: string, mimeType?: string): StoredFile {
    this.count += 1;
    const extension = kind === 'photos' ? '.jpg' : extname(fileName ?? '') || '.dat';
    // Real file_ids are opaque base64url strings; the prefix differs per kind, so mimic that.
    const prefix = kind === 'photos' ? 'AgACAgIAAxkB' : 'BQACAgIAAxkB';
    const file: StoredFile = {
      fileId: `${prefix}${randomBytes(24).toString('base64url')}`,
      fileUniqueId: `AQAD${randomBytes(9).toString('base64url')}`,
      filePath: `${kind}/file_${this.count}${extension}`,
      bytes: Buffer.from(bytes),
      fileName,
      mimeType,
    };
    this.byId.set(file.fileId, file);
    this.byPath.set(file.filePath, file);
    return file;
  }

  /** The file with this file_id, if any. */
  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  /** The file served at this file_path, if any. */
  atPath(filePath: string): StoredFile | undefined {
    return this.byPath.get(filePath);
  }
}
