/**
 * When an agent process counts as ended, the same for every runner: a spawn that failed, its pipes
 * closed, or two seconds after it exited when a background job it started still holds them.
 */
import type { Logger } from '../../log.ts';
import type { ExitInfo } from '../runner.ts';
import type { LifelineChild } from './lifeline.ts';

/** How long a pipe a background job inherited may outlive the agent before the run ends anyway. */
const PIPE_HOLD_MS = 2000;

/** Calls `finish` (which must ignore calls after its first) once `agent` has ended. */
export function watchAgentExit(agent: LifelineChild, opts: { stderrTail(): string; log: Logger; finish(info: ExitInfo): void }): void {
  const { child } = agent;
  child.on('error', (err: NodeJS.ErrnoException) => {
    // 'error' without a pid means the spawn itself failed; after a spawn, 'close' follows.
    if (child.pid === undefined) opts.finish({ code: null, signal: null, stderrTail: opts.stderrTail(), spawnError: `${err.code ?? 'error'}: ${err.message}` });
    else opts.log.warn({ err }, 'runner.process_error');
  });
  child.on('close', (code, signal) => opts.finish({ code, signal, stderrTail: opts.stderrTail().trim(), spawnError: null }));
  // A grandchild that inherited stdout (a background job the agent started) can hold the pipe open
  // long after the agent itself exited; do not wait for it forever. Cutting the lifeline then ends
  // those jobs, and the pipe with them.
  child.on('exit', (code, signal) => {
    agent.cut();
    setTimeout(() => opts.finish({ code, signal, stderrTail: opts.stderrTail().trim(), spawnError: null }), PIPE_HOLD_MS).unref();
  });
}
