/**
 * The first middleware of every update: pairing, then the owner check. Only updates whose sender
 * is the owner AND whose chat is the owner's private chat or the configured forum group reach
 * the other features. Everyone else gets no answer at all (not even to a button tap), and each
 * refusal is audited (rate-limited).
 */
import { Composer, type Context } from 'grammy';
import { escapeHtml } from '../format/index.ts';
import { pairingMatches } from '../pairing.ts';
import { reply, fire, type FeatureDeps } from './deps.ts';

/** Builds the access middleware. */
export function accessFeature(deps: FeatureDeps): Composer<Context> {
  const c = new Composer<Context>();
  c.use(async (ctx, next) => {
    const from = ctx.from;
    const chat = ctx.chat;
    const owner = deps.owner();
    const update = Object.keys(ctx.update).find((k) => k !== 'update_id') ?? 'unknown';
    const refuse = (reason: string): void => deps.refusals.refuse({ reason, userId: from?.id ?? null, chatId: chat?.id ?? null, update });

    const startCode = /^\/start(?:@\w+)?\s+(\S+)\s*$/.exec(ctx.message?.text ?? '')?.[1];
    if (startCode !== undefined && chat?.type === 'private' && from && !from.is_bot) {
      const pending = deps.state.pairing();
      if (pending !== null) {
        if (!pairingMatches(pending, startCode, deps.clock.now())) return refuse('wrong or expired pairing code');
        pair(deps, ctx, from.id, from.username);
        return;
      }
    }
    if (owner === null || !from || from.id !== owner) return refuse(owner === null ? 'no owner paired' : 'not the owner');
    if (!chat || (chat.id !== owner && chat.id !== deps.routing.forumChatId)) return refuse('owner in a chat Reins does not serve');
    await next();
  });
  return c;
}

function pair(deps: FeatureDeps, ctx: Context, userId: number, username: string | undefined): void {
  deps.state.setPairing(null);
  deps.state.setPairedOwner(userId);
  deps.core.audit.append({
    type: 'telegram.paired',
    actor: `telegram:${userId}`,
    surface: 'telegram',
    subject: String(userId),
    detail: { username: username ?? null },
  });
  deps.paired(userId);
  fire(
    deps,
    'pairing.welcome',
    reply(
      deps,
      ctx,
      `🤝 <b>Paired.</b> This chat now controls Reins${username ? ` (owner @${escapeHtml(username)})` : ''}.\n` +
        'Approvals will arrive here as they happen. Start a session with /new, or see /help.',
    ),
  );
}
