/**
 * Follows one session in the terminal: what is stored first, then the live stream, with no gap and
 * nothing twice (events are printed in seq order, each once); approvals of the session are answered
 * in place with a key; it returns when the session comes to rest (idle, stopped, failed, interrupted)
 * with nothing waiting, or when the owner detaches.
 */
import type { Approval, EventsResponse, Followup, Session, SessionEvent, StreamFrame } from '../../contract/index.ts';
import type { StreamHandlers } from '../../client/api-client.ts';
import { CliError } from '../client.ts';
import { approvalCard, choiceFor, keyHelp } from './approval-prompt.ts';
import { eventText } from './event-lines.ts';

/** Reads the owner's keys at a terminal. */
export interface KeyReader {
  /** The next key pressed ('' when `signal` aborted first); Ctrl-C comes as `\x03`. */
  next(signal: AbortSignal): Promise<string>;
  /** A whole line, typed with echo (a reason to deny with). */
  line(prompt: string): Promise<string>;
}

/** The API calls and the terminal a follower needs. */
export interface FollowDeps {
  api: {
    get<T>(path: string): Promise<T>;
    post<T>(path: string, body?: unknown): Promise<T>;
    stream(handlers: StreamHandlers): { close(): void };
  };
  write(text: string): void;
  /** Null when the input is not a terminal: approvals are shown with how to decide them, not asked. */
  keys: KeyReader | null;
  /** Resolves when the owner asks to detach (Ctrl-C outside a prompt). */
  detach: Promise<void>;
}

const REST: ReadonlySet<Session['state']> = new Set(['idle', 'stopped', 'failed', 'interrupted']);
const PAGE = 500;
/** Stored events shown when attaching to a session that already ran (the rest is in `reins show`). */
const ATTACH_BACKLOG = 60;
const CTRL_C = '\x03';

/**
 * Follows `sessionId` until it rests or the owner detaches. `fromStart` prints its whole log (a
 * session just started); otherwise its last events. Returns the exit code: 0 when it rests idle or
 * stopped (or on detach), 1 when it failed or was interrupted.
 */
export async function followSession(deps: FollowDeps, sessionId: string, fromStart: boolean): Promise<number> {
  const { api, write } = deps;
  let lastSeq = 0;
  let finished = false;
  let settle!: (code: number) => void;
  const result = new Promise<number>((resolve) => {
    settle = (code) => {
      if (finished) return;
      finished = true;
      resolve(code);
    };
  });
  const say = (text: string): void => write(`${text}\n`);

  // The stream first: what is committed after its hello arrives by it; what came before, by pages.
  const early: SessionEvent[] = [];
  let backlogDone = false;
  let hello!: () => void;
  const helloSeen = new Promise<void>((resolve) => (hello = resolve));
  const onEvent = (ev: SessionEvent): void => {
    if (ev.seq <= lastSeq) return;
    lastSeq = ev.seq;
    const text = eventText(ev);
    if (text !== null) write(text.endsWith('\n') ? text : `${text}\n`);
    if (ev.kind === 'approval_requested') approvals.add(ev.payload.approvalId);
    if (ev.kind === 'approval_decided') approvals.settled(ev.payload.approvalId);
  };
  const stream = api.stream({
    onFrame(frame: StreamFrame) {
      if (frame.type === 'hello') hello();
      else if (frame.type === 'event' && frame.event.sessionId === sessionId) {
        if (backlogDone) onEvent(frame.event);
        else early.push(frame.event);
      } else if (frame.type === 'session' && frame.session.id === sessionId && backlogDone && REST.has(frame.session.state)) void checkRest();
    },
    onClose() {
      if (finished) return;
      say(`The connection to the Reins core closed. Follow the session again with \`reins attach ${sessionId.slice(0, 8)}\`.`);
      settle(1);
    },
  });

  /** Approvals of the session waiting for a key, oldest first; one card at a time. */
  const approvals = (() => {
    const queue: string[] = [];
    let current: { id: string; abort: AbortController } | null = null;
    const ask = async (a: Approval): Promise<void> => {
      const session = (await api.get<{ session: Session }>(`/sessions/${sessionId}`)).session;
      say(approvalCard(a, session.cwd));
      if (deps.keys === null) {
        say(`  Decide with \`reins allow ${a.handle}\` or \`reins deny ${a.handle}\` (or on the phone, in the window).`);
        return;
      }
      const abort = new AbortController();
      current = { id: a.id, abort };
      try {
        for (;;) {
          const key = await deps.keys.next(abort.signal);
          if (key === '' || finished) return; // decided elsewhere (its line says by whom), or done
          if (key === CTRL_C) {
            detachNow();
            return;
          }
          const choice = choiceFor(a, key);
          if (choice === null) {
            say(`  ${keyHelp(a)}`);
            continue;
          }
          const body =
            'reason' in choice ? { decision: 'deny' as const, message: (await deps.keys.line('  Reason (the agent reads it): ')).trim() } : choice.body;
          if ('words' in choice) say(`  … ${choice.words}`);
          try {
            await api.post(`/approvals/${a.id}/decision`, body.message === '' ? { decision: 'deny' } : body);
          } catch (err) {
            if (err instanceof CliError && /already decided/i.test(err.message)) say(`  ${err.message}`);
            else throw err;
          }
          return;
        }
      } finally {
        current = null;
      }
    };
    const pump = async (): Promise<void> => {
      while (current === null && queue.length > 0 && !finished) {
        const id = queue.shift()!;
        const { approval } = await api.get<{ approval: Approval }>(`/approvals/${id}`);
        if (approval.status === 'pending') await ask(approval);
      }
      if (!finished) await checkRest();
    };
    return {
      add(id: string): void {
        queue.push(id);
        if (backlogDone) pump().catch(fail);
      },
      settled(id: string): void {
        const at = queue.indexOf(id);
        if (at >= 0) queue.splice(at, 1);
        if (current?.id === id) current.abort.abort();
      },
      start: (): Promise<void> => pump(),
      busy: (): boolean => current !== null || queue.length > 0,
    };
  })();

  /** Done once the session rests with nothing pending or queued (a queued message starts the next turn). */
  const checkRest = async (): Promise<void> => {
    if (finished || approvals.busy()) return;
    const { session, pendingApprovals, followups } = await api.get<{ session: Session; pendingApprovals: Approval[]; followups: Followup[] }>(
      `/sessions/${sessionId}`,
    );
    if (!REST.has(session.state) || pendingApprovals.length > 0 || followups.some((f) => f.state === 'queued')) return;
    say(`${session.name} is ${session.state}${session.stateReason ? `: ${session.stateReason}` : '.'}`);
    settle(session.state === 'failed' || session.state === 'interrupted' ? 1 : 0);
  };
  const fail = (err: unknown): void => {
    if (finished) return;
    say(err instanceof Error ? err.message : String(err));
    settle(1);
  };
  const detachNow = (): void => {
    say(
      `\nDetached; the session goes on. Follow it again with \`reins attach ${sessionId.slice(0, 8)}\`, or read it with \`reins show ${sessionId.slice(0, 8)}\`.`,
    );
    settle(0);
  };
  deps.detach.then(detachNow, () => {});

  try {
    await Promise.race([helloSeen, result]);
    if (!finished) {
      const { session } = await api.get<{ session: Session }>(`/sessions/${sessionId}`);
      let after = fromStart ? 0 : Math.max(0, session.lastSeq - ATTACH_BACKLOG);
      if (after > 0) say(`… ${after} earlier events (\`reins show ${sessionId.slice(0, 8)}\` prints them all)`);
      for (;;) {
        const page = await api.get<EventsResponse>(`/sessions/${sessionId}/events?after=${after}&limit=${PAGE}`);
        for (const ev of page.events) onEvent(ev);
        after = page.nextAfter;
        if (!page.more) break;
      }
      backlogDone = true;
      for (const ev of early) onEvent(ev);
      early.length = 0;
      await approvals.start();
    }
  } catch (err) {
    fail(err);
  }
  const code = await result;
  stream.close();
  return code;
}
