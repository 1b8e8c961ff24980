/**
 * `/shell <command>`: the owner's terminal on this computer, from the chat. Off unless the owner set
 * `telegram.shell` in config.json: a terminal runs what it is sent with no approval, so turning it on
 * is a decision taken at the computer, not from the phone. Every command is audited by the core; the
 * answer is the terminal's readable tail (control sequences removed, secrets redacted) once its
 * output has been quiet for a moment, updated as more arrives.
 */
import { homedir } from 'node:os';
import { Composer, type Context } from 'grammy';
import stripAnsi from 'strip-ansi';
import type { Session, StreamFrame } from '../../../contract/index.ts';
import { escapeHtml } from '../format/index.ts';
import { actorOf, fire, reply, type FeatureDeps } from './deps.ts';

/** Output quiet this long sends (or updates) the answer. */
const QUIET_MS = 1000;
/** With no output at all by then, the answer says so (and still follows the terminal). */
const FIRST_ANSWER_MS = 15_000;
/** The answer follows the terminal's output this long after its command, for slow commands. */
const FOLLOW_MS = 120_000;
/** Characters of the tail shown, and of raw output kept to find it. */
const TAIL_CHARS = 3000;
const RAW_CHARS = 64 * 1024;
/** Where the chat's terminal session is remembered between commands. */
const SESSION_KEY = 'telegram.shell.session';

const OFF = 'The shell from the chat is off. To turn it on, set <code>"telegram": { "shell": true }</code> in config.json on your computer and restart Reins.';

/** Terminal output as plain lines; a carriage return overwrites its line, as on screen. */
function readable(data: string): string {
  return stripAnsi(data)
    .split('\n')
    .map((line) => line.replace(/\r+$/, '').split('\r').at(-1) ?? '')
    .join('\n');
}

/** Builds the /shell Composer. */
export function shellFeature(deps: FeatureDeps): Composer<Context> {
  const c = new Composer<Context>();

  /** The chat's terminal if it still runs, else a new one in the owner's home folder. */
  const terminalFor = (command: string, userId: number): { session: Session; started: boolean } => {
    const known = deps.core.kv.get(SESSION_KEY);
    const actor = actorOf(userId);
    if (known) {
      try {
        deps.core.sessions.terminalInput(known, { data: `${command}\r` }, actor);
        return { session: deps.core.sessions.get(known).session, started: false };
      } catch {
        // Ended or gone: a new terminal below.
      }
    }
    const session = deps.core.sessions.create({ agent: 'terminal', cwd: homedir(), prompt: command, mode: 'ask' }, actor);
    deps.core.kv.set(SESSION_KEY, session.id, deps.clock.now());
    return { session, started: true };
  };

  /** The follower of the latest command; a new command ends it (its answer stays as it was). */
  let current: { stop(): void } | null = null;
  deps.stopping.addEventListener('abort', () => current?.stop(), { once: true });

  /**
   * Answers a command with the terminal's output: listening starts before the command is sent (so
   * none is missed); `of(sessionId)` sends the answer once the output has been quiet for a moment,
   * then edits it as more arrives, so a slow command (or a slow-starting shell) still shows its result.
   */
  const follow = (ctx: Context) => {
    // Output before the session's id is known (a new terminal answers at once), then the session's own.
    const early: Array<{ sessionId: string; data: string }> = [];
    let raw = '';
    let target: string | null = null;
    let quiet: NodeJS.Timeout | null = null;
    let timers: NodeJS.Timeout[] = [];
    let messageId: number | null = null;
    let shown = '';
    let chain: Promise<unknown> = Promise.resolve();
    let stopped = false;
    const chatId = ctx.chat?.id ?? 0;

    const render = (): string => {
      const text = readable(raw).trimEnd();
      const tail = text.length > TAIL_CHARS ? `…${text.slice(-TAIL_CHARS)}` : text;
      return tail ? `<pre>${escapeHtml(deps.redactor()(tail))}</pre>` : '<i>(no output yet)</i>';
    };
    // Sends are chained so that an edit never overtakes the send of its message.
    const show = (): void => {
      chain = chain.then(async () => {
        const html = render();
        if (html === shown) return;
        shown = html;
        if (messageId === null) messageId = await reply(deps, ctx, html);
        else await deps.writer.edit(chatId, { chatId, messageId }, html);
      });
      deps.tasks.run('shell.answer', () => chain);
    };
    const stop = (): void => {
      stopped = true;
      unsubscribe();
      if (quiet) clearTimeout(quiet);
      for (const t of timers) clearTimeout(t);
      timers = [];
    };
    const unsubscribe = deps.core.subscribe((frame: StreamFrame) => {
      if (frame.type !== 'event' || frame.event.kind !== 'terminal_output') return;
      if (target === null) early.push({ sessionId: frame.event.sessionId, data: frame.event.payload.data });
      else if (frame.event.sessionId === target) take(frame.event.payload.data);
    });
    // The quiet period starts with the session's output: a terminal still starting has not answered.
    const take = (data: string): void => {
      if (stopped) return;
      raw = (raw + data).slice(-RAW_CHARS);
      if (quiet) clearTimeout(quiet);
      quiet = setTimeout(show, QUIET_MS);
    };
    return {
      stop,
      of(sessionId: string): void {
        target = sessionId;
        current?.stop();
        current = { stop };
        for (const f of early) if (f.sessionId === sessionId) take(f.data);
        early.length = 0;
        timers.push(
          setTimeout(() => {
            if (messageId === null && shown === '') show();
          }, FIRST_ANSWER_MS),
          setTimeout(stop, FOLLOW_MS),
        );
      },
    };
  };

  c.command('shell', (ctx) => {
    if (!deps.core.config.telegram.shell) return fire(deps, 'shell.off', reply(deps, ctx, OFF));
    const command = ctx.match.trim();
    if (command === '')
      return fire(deps, 'shell.usage', reply(deps, ctx, 'Send <code>/shell</code> followed by a command, e.g. <code>/shell git status</code>.'));
    const userId = ctx.from?.id ?? 0;
    deps.tasks.run('shell.command', async () => {
      const answer = follow(ctx);
      try {
        answer.of(terminalFor(command, userId).session.id);
      } catch (err) {
        answer.stop();
        await reply(deps, ctx, `Could not start the shell: ${escapeHtml((err as Error).message)}`);
      }
    });
  });
  return c;
}
