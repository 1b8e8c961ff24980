/**
 * Photos and documents from the owner: saved under the session's attachments folder (size
 * limit, safe name, never overwriting, never outside the folder) and handed to the agent by
 * path as a follow-up, with the caption as its text. Whatever stops that is told to the owner.
 */
import { unlink } from 'node:fs/promises';
import { Composer, type Context } from 'grammy';
import type { Followup } from '../../../contract/index.ts';
import { ReinsError } from '../../../core/errors.ts';
import { AttachmentPathError, reserveAttachment } from '../attachments.ts';
import { AttachmentDownloadError } from '../download.ts';
import { escapeHtml } from '../format/index.ts';
import { describe } from '../tasks.ts';
import { actorOf, fire, NO_SESSION, placeOfMessage, reply, sessionOfMessage, type FeatureDeps } from './deps.ts';

/** Builds the Composer for photos and documents. */
export function filesFeature(deps: FeatureDeps): Composer<Context> {
  const c = new Composer<Context>();
  c.on(['message:photo', 'message:document'], (ctx) => {
    const msg = ctx.message;
    const sessionId = sessionOfMessage(deps, msg);
    if (!sessionId) {
      fire(deps, 'files.reply', reply(deps, ctx, NO_SESSION));
      return;
    }
    const photo = msg.photo?.at(-1);
    const file = photo ?? msg.document;
    if (!file) return;
    const max = deps.tuning.maxAttachmentBytes;
    if (file.file_size !== undefined && file.file_size > max) {
      fire(deps, 'files.reply', reply(deps, ctx, `📎 That file is larger than ${Math.round(max / 1024 / 1024)} MB, the most Reins accepts from Telegram.`));
      return;
    }
    const name = photo ? `photo-${msg.message_id}.jpg` : (msg.document?.file_name ?? `file-${msg.message_id}`);
    const caption = msg.caption?.trim() ?? '';
    const userId = ctx.from?.id ?? 0;
    deps.tasks.run('files.save', async () => {
      let path: string;
      try {
        path = reserveAttachment(deps.core.paths.attachments, sessionId, name, deps.clock.now());
        try {
          await deps.download(file.file_id, path, max);
        } catch (err) {
          await unlink(path).catch(() => undefined);
          throw err;
        }
      } catch (err) {
        if (err instanceof AttachmentPathError) {
          deps.log.warn({ err: describe(err), session: sessionId }, 'telegram.attachment_path_refused');
          await reply(deps, ctx, `📎 Not saved: ${escapeHtml(err.message)}`);
          return;
        }
        if (!(err instanceof AttachmentDownloadError)) throw err;
        await reply(deps, ctx, `📎 ${escapeHtml(err.message)}`);
        return;
      }
      const text = `${caption ? `${caption}\n\n` : ''}[The owner attached a ${photo ? 'photo' : 'file'} from Telegram; it is saved at ${path}]`;
      let f: Followup;
      try {
        f = deps.core.sessions.send(sessionId, { text, delivery: 'queue' }, actorOf(userId));
      } catch (err) {
        deps.log.warn({ err: describe(err), session: sessionId }, 'telegram.attachment_not_handed');
        // Only the core's own errors are meant for the owner; anything else is told in general terms.
        const why = err instanceof ReinsError ? err.message : 'Reins could not queue it for the session.';
        await reply(deps, ctx, `📎 Saved <code>${escapeHtml(path)}</code>, but it could not be handed to the agent: ${escapeHtml(why)}`);
        return;
      }
      if (f.state === 'queued') deps.notices.show(deps.routing.placeNow(sessionId) ?? placeOfMessage(msg), f);
      await reply(deps, ctx, `📎 Saved <code>${escapeHtml(path)}</code> for the agent.`);
    });
  });
  return c;
}
