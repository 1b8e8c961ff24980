/**
 * The long-poll loop. Updates are handled one at a time, in order; the offset is persisted right
 * after an update was handled, so a restart neither replays a handled update (Telegram would
 * redeliver it: it only forgets updates once a later getUpdates carries the offset) nor drops
 * one that was not handled. getUpdates is the one Bot API call outside the outbox: it is a read,
 * and it must not queue behind the bot's own writes.
 */
import type { Update } from 'grammy/types';
import type { Logger } from '../../core/log.ts';
import { describe } from './tasks.ts';

/** The update kinds the bridge handles. */
const ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;

/** What the loop needs. */
export interface PollerDeps {
  getUpdates(params: { offset?: number; timeout: number; allowed_updates: readonly string[] }, signal: AbortSignal): Promise<Update[]>;
  /** Handles one update completely (state changes done; sends may still be queued). */
  handle(update: Update): Promise<void>;
  offset(): number | null;
  setOffset(offset: number): void;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  timeoutS: number;
  backoffMs: number;
  backoffMaxMs: number;
  /** Telegram refused the token (401/404): polling ends; the message says what to do. */
  onFatal(message: string): void;
  log: Logger;
}

/** Starts polling; `stop()` aborts the pending getUpdates and resolves once the loop ended. */
export function startPolling(deps: PollerDeps): { stop(): Promise<void>; readonly done: Promise<void> } {
  const abort = new AbortController();
  const done = loop(deps, abort.signal);
  return {
    done,
    stop() {
      abort.abort();
      return done;
    },
  };
}

async function loop(deps: PollerDeps, signal: AbortSignal): Promise<void> {
  let offset = deps.offset() ?? undefined;
  let failures = 0;
  while (!signal.aborted) {
    let updates: Update[];
    try {
      updates = await deps.getUpdates({ ...(offset === undefined ? {} : { offset }), timeout: deps.timeoutS, allowed_updates: ALLOWED_UPDATES }, signal);
      failures = 0;
    } catch (err) {
      if (signal.aborted) break;
      const code = (err as { error_code?: unknown }).error_code;
      if (code === 401 || code === 404) {
        deps.onFatal('Telegram rejected the bot token (it was revoked or is wrong). Run `reins telegram setup` with a valid token.');
        break;
      }
      failures++;
      const delay = Math.min(deps.backoffMaxMs, deps.backoffMs * 2 ** (failures - 1));
      // 409: another process polls with this token (a second Reins, or a webhook is set).
      deps.log.warn({ err: describe(err), code, delayMs: delay }, code === 409 ? 'telegram.poll_conflict' : 'telegram.poll_failed');
      await deps.sleep(delay, signal).catch(() => undefined);
      continue;
    }
    for (const update of updates) {
      if (signal.aborted) break;
      // Already handled before a restart: Telegram delivers it again until it sees the offset.
      if (offset !== undefined && update.update_id < offset) continue;
      try {
        await deps.handle(update);
      } catch (err) {
        // A poison update must not block the ones after it: it counts as handled.
        deps.log.error({ err: describe(err), updateId: update.update_id }, 'telegram.update_failed');
      }
      offset = update.update_id + 1;
      deps.setOffset(offset);
    }
  }
}
