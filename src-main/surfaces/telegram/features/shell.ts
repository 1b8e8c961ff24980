/**
 * `/shell <command>`: the owner's terminal on this computer, from the chat. Off unless the owner set
 * `telegram.shell` in config.json: a terminal runs what it is sent with no approval, so turning it on
 * is a decision taken at the computer, not from the phone. Every command is audited by the core; the
 * answer is the terminal's readable tail (control sequences removed, secrets redacted) once its
 * output has been quiet for a moment.
 */
import { homedir } from 'node:os';
import { Composer, type Context } from 'grammy';
import stripAnsi from 'strip-ansi';
import type { Session, StreamFrame } from '../../../contract/index.ts';
import { escapeHtml } from '../format/index.ts';
import { actorOf, fire, reply, type FeatureDeps } from './deps.ts';

/** Output quiet this long counts as the command's answer; the wait never exceeds the maximum. */
const QUIET_MS = 1000;
const MAX_WAIT_MS = 15_000;
/** Characters of the tail shown. */
const TAIL_CHARS = 3000;
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

  /**
   * Listens to terminal output from now on (before the command is sent, so none is missed); `of(id)`
   * resolves the session's output once it has been quiet for a moment.
   */
  const listen = () => {
    const frames: Array<{ sessionId: string; data: string }> = [];
    let onFrame: (() => void) | null = null;
    const unsubscribe = deps.core.subscribe((frame: StreamFrame) => {
      if (frame.type !== 'event' || frame.event.kind !== 'terminal_output') return;
      frames.push({ sessionId: frame.event.sessionId, data: frame.event.payload.data });
      onFrame?.();
    });
    return {
      stop: unsubscribe,
      of: (sessionId: string): Promise<string> =>
        new Promise((resolve) => {
          let quiet: NodeJS.Timeout | null = null;
          const done = (): void => {
            unsubscribe();
            clearTimeout(cap);
            if (quiet) clearTimeout(quiet);
            resolve(
              frames
                .filter((f) => f.sessionId === sessionId)
                .map((f) => f.data)
                .join(''),
            );
          };
          const cap = setTimeout(done, MAX_WAIT_MS);
          const restart = (): void => {
            if (quiet) clearTimeout(quiet);
            quiet = setTimeout(done, QUIET_MS);
          };
          onFrame = restart;
          restart();
        }),
    };
  };

  c.command('shell', (ctx) => {
    if (!deps.core.config.telegram.shell) return fire(deps, 'shell.off', reply(deps, ctx, OFF));
    const command = ctx.match.trim();
    if (command === '')
      return fire(deps, 'shell.usage', reply(deps, ctx, 'Send <code>/shell</code> followed by a command, e.g. <code>/shell git status</code>.'));
    const userId = ctx.from?.id ?? 0;
    deps.tasks.run('shell.command', async () => {
      const output = listen();
      let sessionId: string;
      try {
        sessionId = terminalFor(command, userId).session.id;
      } catch (err) {
        output.stop();
        await reply(deps, ctx, `Could not start the shell: ${escapeHtml((err as Error).message)}`);
        return;
      }
      const text = readable(await output.of(sessionId)).trimEnd();
      const tail = text.length > TAIL_CHARS ? `…${text.slice(-TAIL_CHARS)}` : text;
      await reply(deps, ctx, tail ? `<pre>${escapeHtml(deps.redactor()(tail))}</pre>` : '<i>(no output yet)</i>');
    });
  });
  return c;
}
