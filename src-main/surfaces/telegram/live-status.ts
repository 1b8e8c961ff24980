/**
 * One live-status message per run, edited in place as the run goes, closed with its true final
 * state, followed by the final answer as a message of its own.
 *
 * Renders are debounced and spaced (at most one per `liveEditIntervalMs` per message), and all
 * live traffic of a chat shares a budget kept below the chat's limit, so an approval card never
 * queues behind progress edits. Each live message is recorded (place, id, first event seq);
 * after a restart the run is rebuilt from the event log and the message either continues or is
 * repainted with how the run really ended ("interrupted" when Reins went down under it).
 */
import { randomBytes } from 'node:crypto';
import type { SessionEvent } from '../../contract/index.ts';
import type { Clock, Timers } from '../../core/clock.ts';
import type { CoreFacade } from '../../contract/index.ts';
import type { Logger } from '../../core/log.ts';
import { markdownToTelegramHtml, type Redactor } from './format/index.ts';
import { applyEvent, startTurn, type LiveTurn } from './live-turn.ts';
import { OutboxError, SlidingWindowLimiter, type MessageTarget, type RateWindow } from './outbox/index.ts';
import type { Routing } from './routing.ts';
import type { SessionCache } from './session-cache.ts';
import type { LiveRecord, Place, TelegramState } from './state.ts';
import { describe, type Tasks } from './tasks.ts';
import type { TelegramTuning } from './tuning.ts';
import { providerErrorLines, renderLiveStatus } from './views/live-status.ts';
import { sessionLabel } from './views/session-label.ts';
import type { Keyboard, Writer } from './writer.ts';

/** Session states in which an agent may still be working on a run. */
const ACTIVE = new Set(['starting', 'running', 'stalled', 'waiting']);

interface Entry {
  readonly sessionId: string;
  readonly turn: LiveTurn;
  readonly ref: string;
  place: Place | null;
  messageId: number | null;
  /** The Stop button's handle and fixed nonce (a stable keyboard keeps identical renders identical). */
  readonly stop: { handle: string; nonce: string } | null;
  /** When the run changed after its last render; null when the message is up to date. */
  dirtySince: number | null;
  lastRenderAt: number | null;
  lastHtml: string | null;
  sent: boolean;
  closed: boolean;
  answerSent: boolean;
}

/** Everything the controller needs. */
export interface LiveStatusDeps {
  core: Pick<CoreFacade, 'sessions'>;
  state: TelegramState;
  writer: Writer;
  routing: Routing;
  sessions: SessionCache;
  redactor: () => Redactor;
  clock: Clock;
  timers: Timers;
  tuning: TelegramTuning;
  tasks: Tasks;
  log: Logger;
}

/** Creates the controller; feed it every event frame, call `recover()` once at start. */
export function createLiveStatus(deps: LiveStatusDeps) {
  const { state, writer, clock, timers, tuning, log } = deps;
  const active = new Map<string, Entry>();
  const closing = new Set<Entry>();
  const budgets = new Map<number, SlidingWindowLimiter>();
  let timer: unknown = null;
  let timerAt = Infinity;
  let ticker: unknown = null;
  let stopped = false;

  const budgetOf = (chatId: number): SlidingWindowLimiter => {
    let b = budgets.get(chatId);
    if (!b) {
      const windows: readonly RateWindow[] = chatId > 0 ? tuning.statusBudget.private : tuning.statusBudget.group;
      b = new SlidingWindowLimiter(windows);
      budgets.set(chatId, b);
    }
    return b;
  };

  const persist = (e: Entry): void => {
    if (e.place === null) return;
    const rec: LiveRecord = { place: e.place, messageId: e.messageId, startSeq: e.turn.startSeq, answerSent: e.answerSent };
    state.live.put(e.sessionId, rec);
  };

  const newEntry = (sessionId: string, turn: LiveTurn, place: Place | null, messageId: number | null): Entry => {
    const chatId = place?.chatId;
    const stop =
      chatId === undefined || turn.end !== null
        ? null
        : {
            handle: state.newHandle({ kind: 'session', sessionId, chatId, expiresAt: clock.now() + tuning.menuTtlMs }),
            nonce: randomBytes(8).toString('base64url'),
          };
    return {
      sessionId,
      turn,
      ref: `live:${sessionId}:${turn.startSeq}`,
      place,
      messageId,
      stop,
      dirtySince: clock.now(),
      lastRenderAt: null,
      lastHtml: null,
      sent: messageId !== null,
      closed: false,
      answerSent: false,
    };
  };

  /** When this entry may render next. */
  const readyAt = (e: Entry): number => {
    if (e.dirtySince === null || e.place === null) return Infinity;
    const debounced = e.dirtySince + tuning.liveDebounceMs;
    if (e.turn.end !== null && e.lastRenderAt !== null) return Math.max(e.dirtySince, e.lastRenderAt + tuning.liveEditIntervalMs);
    return Math.max(debounced, (e.lastRenderAt ?? -Infinity) + tuning.liveEditIntervalMs);
  };

  const schedule = (): void => {
    if (stopped) return;
    const now = clock.now();
    let next = Infinity;
    for (const e of [...active.values(), ...closing]) {
      const at = readyAt(e);
      if (at === Infinity || e.place === null) continue;
      next = Math.min(next, Math.max(at, budgetOf(e.place.chatId).nextAllowedAt(now)));
    }
    if (next === Infinity || next >= timerAt) return;
    if (timer !== null) timers.clearTimeout(timer);
    timerAt = next;
    timer = timers.setTimeout(flush, Math.max(0, next - now));
  };

  const flush = (): void => {
    timer = null;
    timerAt = Infinity;
    if (stopped) return;
    const now = clock.now();
    // Closing messages first, then the one waiting longest.
    const due = [...closing, ...active.values()]
      .filter((e) => readyAt(e) <= now)
      .sort((a, b) => Number(b.turn.end !== null) - Number(a.turn.end !== null) || (a.dirtySince ?? 0) - (b.dirtySince ?? 0));
    for (const e of due) {
      const place = e.place;
      if (place === null) continue;
      const html = renderLiveStatus(e.turn, deps.sessions.get(e.sessionId), now, deps.redactor());
      const final = e.turn.end !== null;
      if (html === e.lastHtml && !final) {
        e.dirtySince = null;
        continue;
      }
      const budget = budgetOf(place.chatId);
      if (budget.nextAllowedAt(now) > now) continue;
      budget.record(now);
      render(e, place, html, final);
    }
    schedule();
  };

  const keyboardOf = (e: Entry): Keyboard | undefined =>
    e.stop === null || e.turn.end !== null ? undefined : [[{ text: '⏹ Stop', payload: { handle: e.stop.handle, action: 'stop', nonce: e.stop.nonce } }]];

  const render = (e: Entry, place: Place, html: string, final: boolean): void => {
    e.dirtySince = null;
    e.lastRenderAt = clock.now();
    e.lastHtml = html;
    const keyboard = keyboardOf(e);
    let done: Promise<unknown>;
    if (!e.sent) {
      e.sent = true;
      done = writer.send(place, html, { ...(keyboard ? { keyboard } : {}), priority: 'status', ref: e.ref, silent: true }).then((messageId) => {
        e.messageId = messageId;
        state.rememberMessage(place.chatId, messageId, e.sessionId);
        persist(e);
      });
    } else {
      const target: MessageTarget = e.messageId !== null ? { chatId: place.chatId, messageId: e.messageId } : { ref: e.ref };
      done = writer.edit(place.chatId, target, html, { ...(keyboard ? { keyboard } : {}), priority: 'status', ...(final ? { final: true } : {}) });
    }
    if (final) {
      e.closed = true;
      deps.tasks.run('live.close', async () => {
        try {
          await done;
        } catch (err) {
          // Cut short by shutdown: the record stays, so the next start repaints the message.
          if (err instanceof OutboxError && err.reason === 'stopped') throw err;
          await close(e, place);
          throw err;
        }
        await close(e, place);
      });
    } else {
      done.catch((err: unknown) => {
        log.warn({ err: describe(err), session: e.sessionId }, 'telegram.live_render_failed');
        // A live message Telegram refused (deleted by the owner, chat gone) is not retried.
        if (err instanceof OutboxError && err.reason === 'rejected') dropEntry(e);
      });
    }
  };

  /** After the closing render: the final answer, then the record goes. */
  const close = async (e: Entry, place: Place): Promise<void> => {
    closing.delete(e);
    if (e.stop) state.dropHandle(e.stop.handle);
    if (e.turn.end === 'done' && e.turn.lastText && !e.answerSent) {
      const session = deps.sessions.get(e.sessionId);
      const head = place.threadId === undefined ? `${sessionLabel(session)}\n\n` : '';
      const html = head + markdownToTelegramHtml(deps.redactor()(e.turn.lastText));
      const ids = await writer.sendLong(place, html, { priority: 'normal' });
      for (const id of ids) state.rememberMessage(place.chatId, id, e.sessionId);
    } else if (e.turn.end === 'failed' && e.turn.providerError && !e.answerSent) {
      // A message of its own (the live message is edited, which does not notify): the owner has to act.
      const session = deps.sessions.get(e.sessionId);
      const head = place.threadId === undefined ? `${sessionLabel(session)}\n` : '';
      const id = await writer.send(place, head + providerErrorLines(e.turn.providerError), { priority: 'normal' });
      state.rememberMessage(place.chatId, id, e.sessionId);
    }
    e.answerSent = true;
    if (state.live.get(e.sessionId)?.startSeq === e.turn.startSeq) state.live.remove(e.sessionId);
  };

  const dropEntry = (e: Entry): void => {
    if (active.get(e.sessionId) === e) active.delete(e.sessionId);
    closing.delete(e);
    if (e.stop) state.dropHandle(e.stop.handle);
    if (state.live.get(e.sessionId)?.startSeq === e.turn.startSeq) state.live.remove(e.sessionId);
  };

  const touch = (e: Entry): void => {
    e.dirtySince ??= clock.now();
    if (e.turn.end !== null && active.get(e.sessionId) === e) {
      active.delete(e.sessionId);
      closing.add(e);
    }
    schedule();
  };

  const begin = (ev: SessionEvent): void => {
    const turn = startTurn(ev.sessionId, ev.seq, ev.ts);
    applyEvent(turn, ev);
    const place = deps.routing.placeNow(ev.sessionId);
    const e = newEntry(ev.sessionId, turn, place, null);
    active.set(ev.sessionId, e);
    if (place === null) {
      deps.tasks.run('live.place', async () => {
        e.place = await deps.routing.placeFor(ev.sessionId);
        if (e.place === null) {
          dropEntry(e);
          return;
        }
        persist(e);
        schedule();
      });
    } else {
      persist(e);
    }
    touch(e);
  };

  const tick = (): void => {
    ticker = stopped ? null : timers.setTimeout(tick, tuning.liveTickMs);
    for (const e of active.values()) if (e.turn.end === null) touch(e);
  };

  return {
    /** Folds one committed event into its session's live run. */
    onEvent(ev: SessionEvent): void {
      if (stopped) return;
      const e = active.get(ev.sessionId);
      if (ev.kind === 'status' && ev.payload.turn === 'started' && (e === undefined || e.turn.end !== null)) {
        begin(ev);
        return;
      }
      if (e === undefined) return;
      applyEvent(e.turn, ev);
      touch(e);
    },

    /** Picks up live messages left by the previous run of the bridge. */
    recover(): void {
      for (const [sessionId, rec] of state.live.entries()) {
        try {
          recoverOne(sessionId, rec);
        } catch (err) {
          log.warn({ err: describe(err), session: sessionId }, 'telegram.live_recover_failed');
          state.live.remove(sessionId);
        }
      }
      ticker ??= timers.setTimeout(tick, tuning.liveTickMs);
    },

    /** Live runs being shown (for status and tests). */
    activeCount: (): number => active.size + closing.size,

    /** Stops timers; messages already queued are left to the outbox's stop. */
    stop(): void {
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      if (ticker !== null) timers.clearTimeout(ticker);
      timer = null;
      ticker = null;
    },
  };

  function recoverOne(sessionId: string, rec: LiveRecord): void {
    if (rec.messageId === null) {
      state.live.remove(sessionId);
      return;
    }
    const session = deps.core.sessions.get(sessionId).session;
    deps.sessions.update(session);
    let turn: LiveTurn | null = null;
    for (let after = rec.startSeq - 1; ; ) {
      const page = deps.core.sessions.events(sessionId, after, 1000);
      for (const ev of page.events) {
        turn ??= startTurn(sessionId, rec.startSeq, ev.ts);
        applyEvent(turn, ev);
      }
      after = page.nextAfter;
      if (!page.more) break;
    }
    turn ??= startTurn(sessionId, rec.startSeq, clock.now());
    if (turn.end === null && !ACTIVE.has(session.state)) {
      turn.end = 'interrupted';
      turn.detail = session.stateReason ?? 'Reins stopped during the run';
    }
    const e = newEntry(sessionId, turn, rec.place, rec.messageId);
    e.answerSent = rec.answerSent;
    if (turn.end === null) active.set(sessionId, e);
    else closing.add(e);
    touch(e);
  }
}
