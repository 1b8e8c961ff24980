/**
 * `/export [name] [md|json|html]`: the transcript of the current (or named) session, sent as a
 * document in the chat or topic the command came from, redacted by the bridge's own redactor (the
 * same secrets as every message it sends).
 */
import { type Context, InputFile } from 'grammy';
import type { Session } from '../../../contract/index.ts';
import { exportSession, isExportFormat, type ExportFormat } from '../../../core/export/index.ts';
import { escapeHtml } from '../format/index.ts';
import { sessionLabel } from '../views/session-label.ts';
import { placeOfMessage, reply, type FeatureDeps } from './deps.ts';

/** The largest file a bot may send (Bot API sendDocument limit). */
const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

/** The words after `/export`: an optional session name and an optional format (md by default). */
export function parseExportArgs(match: string): { target: string | undefined; format: ExportFormat } | null {
  const words = match.trim().split(/\s+/).filter(Boolean);
  const last = words.at(-1)?.toLowerCase();
  const format: ExportFormat = isExportFormat(last) ? last : 'md';
  const rest = isExportFormat(last) ? words.slice(0, -1) : words;
  if (rest.length > 1) return null;
  return { target: rest[0], format };
}

/** Builds and sends the transcript of `session` as a document answering `ctx` (built in the background, a page at a time). */
export function sendTranscript(deps: FeatureDeps, ctx: Context, session: Session, format: ExportFormat): void {
  deps.tasks.run('command.export', () => buildAndSend(deps, ctx, session, format));
}

async function buildAndSend(deps: FeatureDeps, ctx: Context, session: Session, format: ExportFormat): Promise<unknown> {
  const msg = ctx.msg;
  const place = msg ? placeOfMessage(msg) : { chatId: ctx.chat?.id ?? 0 };
  let file: { fileName: string; body: string };
  try {
    file = await exportSession(deps.core, session.id, format, deps.redactor());
  } catch (err) {
    deps.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'telegram.export_failed');
    return reply(deps, ctx, `❌ Could not build the transcript of ${sessionLabel(session)}. Try again, or use <code>reins export</code>.`);
  }
  const bytes = Buffer.from(file.body, 'utf8');
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    const size = Math.ceil(bytes.length / 1024 / 1024);
    return reply(deps, ctx, `The transcript of ${sessionLabel(session)} is ${size} MB, over Telegram's 50 MB: use <code>reins export</code> on the computer.`);
  }
  return deps.writer.call(
    'sendDocument',
    {
      chat_id: place.chatId,
      ...(place.threadId !== undefined ? { message_thread_id: place.threadId } : {}),
      document: new InputFile(bytes, file.fileName),
      caption: `Transcript of @${escapeHtml(session.name)} (${format}), secrets redacted`,
      parse_mode: 'HTML',
    },
    { chatId: place.chatId },
  );
}
