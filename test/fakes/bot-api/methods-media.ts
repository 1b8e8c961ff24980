import { extname } from 'node:path';
import type { Document, PhotoSize } from 'grammy/types';
import type { Backend } from './backend.ts';
import { badRequest } from './errors.ts';
import { MAX_DOWNLOAD_BYTES, type StoredFile } from './files.ts';
import { imageSize } from './image.ts';
import { readReplyMarkup } from './keyboard.ts';
import type { MethodHandler } from './method.ts';
import type { Params, UploadedFile } from './params.ts';
import { formatText } from './text.ts';

const MIME_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.log': 'text/plain',
  '.md': 'text/markdown',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.diff': 'text/x-diff',
  '.patch': 'text/x-diff',
  '.html': 'text/html',
  '.csv': 'text/csv',
};

/** sendPhoto, sendDocument and getFile. */
export const mediaMethods: Record<string, MethodHandler> = {
  sendPhoto: (backend, { method, params }) => {
    const chat = backend.writableChat(params);
    const photo = photoSizes(backend, params);
    const body = formatText(params, 'caption', (id) => backend.state.user(id));
    const replyMarkup = readReplyMarkup(params, false);
    const message = backend.sendFromBot(method, params, chat, { body, media: { kind: 'photo', photo }, replyMarkup });
    return backend.state.toJson(message);
  },

  sendDocument: (backend, { method, params }) => {
    const chat = backend.writableChat(params);
    const document = documentOf(backend, params);
    const body = formatText(params, 'caption', (id) => backend.state.user(id));
    const replyMarkup = readReplyMarkup(params, false);
    const message = backend.sendFromBot(method, params, chat, { body, media: { kind: 'document', document }, replyMarkup });
    return backend.state.toJson(message);
  },

  getFile: (backend, { params }) => {
    const file = backend.files.get(params.optionalString('file_id') ?? '');
    if (file === undefined) throw badRequest('invalid file_id');
    if (file.bytes.length > MAX_DOWNLOAD_BYTES) throw badRequest('file is too big');
    return { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.bytes.length, file_path: file.filePath };
  },
};

/** The PhotoSize list Telegram returns for a stored photo. */
export function photoSizesOf(file: StoredFile): PhotoSize[] {
  const size = imageSize(file.bytes) ?? { width: 0, height: 0 };
  return [{ file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.bytes.length, ...size }];
}

/** The Document object Telegram returns for a stored file. */
export function documentOfFile(file: StoredFile): Document {
  const document: Document = { file_id: file.fileId, file_unique_id: file.fileUniqueId, file_size: file.bytes.length };
  if (file.fileName !== undefined) document.file_name = file.fileName;
  if (file.mimeType !== undefined) document.mime_type = file.mimeType;
  return document;
}

function photoSizes(backend: Backend, params: Params): PhotoSize[] {
  const input = fileInput(params, 'photo');
  if (typeof input === 'string') {
    const known = backend.files.get(input);
    if (known === undefined || !known.filePath.startsWith('photos/')) throw badRequest('wrong file identifier/HTTP URL specified');
    return photoSizesOf(known);
  }
  if (imageSize(input.bytes) === undefined) throw badRequest('IMAGE_PROCESS_FAILED');
  return photoSizesOf(backend.files.add(input.bytes, 'photos', input.fileName, 'image/jpeg'));
}

function documentOf(backend: Backend, params: Params): Document {
  const input = fileInput(params, 'document');
  if (typeof input === 'string') {
    const known = backend.files.get(input);
    if (known === undefined) throw badRequest('wrong file identifier/HTTP URL specified');
    return documentOfFile(known);
  }
  if (input.bytes.length === 0) throw badRequest('file must be non-empty');
  const mimeType = MIME_TYPES[extname(input.fileName).toLowerCase()] ?? 'application/octet-stream';
  return documentOfFile(backend.files.add(input.bytes, 'documents', input.fileName, mimeType));
}

function fileInput(params: Params, name: string): UploadedFile | string {
  const input = params.file(name);
  if (input === undefined || input === '') throw badRequest(`there is no ${name} in the request`);
  // Telegram fetches http(s) URLs itself; this fake has no internet, so it says so plainly.
  if (typeof input === 'string' && /^https?:\/\//i.test(input)) {
    throw badRequest('the fake Bot API does not download URLs; upload the file or pass a file_id');
  }
  return input;
}
