/**
 * Work the bridge starts without awaiting it in the update loop (stopping a session, downloading
 * a file, a final answer after its live message): tracked so that `stop()` waits for it, and
 * failures are logged instead of becoming unhandled rejections.
 */
import type { Logger } from '../../core/log.ts';

/** Creates an empty task set. */
export function createTasks(log: Logger) {
  const running = new Set<Promise<unknown>>();
  return {
    /** Starts `fn` now; its failure is logged under `name`. */
    run(name: string, fn: () => Promise<unknown>): void {
      const p = (async () => fn())().catch((err: unknown) => {
        // Work cut short by shutdown is expected, not a failure.
        if ((err as { reason?: unknown }).reason === 'stopped') log.debug({ err: describe(err), task: name }, 'telegram.task_stopped');
        else log.error({ err: describe(err), task: name }, 'telegram.task_failed');
      });
      running.add(p);
      void p.finally(() => running.delete(p));
    },
    /** Resolves once every task started so far (and those they start) has ended. */
    async drain(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
/** A task set; see {@link createTasks}. */
export type Tasks = ReturnType<typeof createTasks>;

/** An error as a short log string (never the request URL, which carries the bot token). */
export function describe(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.replace(/bot\d+:[A-Za-z0-9_-]+/g, 'bot<redacted>');
}
