/** A run whose process could not even be started (missing binary, bad arguments). */
import type { AgentRun, ExitInfo, RunStartOptions } from '../runner.ts';

/** Why an executable lookup failed, in one line. */
export function lookupFailure(error: 'ENOENT' | 'EACCES', bin: string): string {
  return `${error}: ${bin} ${error === 'ENOENT' ? 'was not found on PATH' : 'is not executable'}`;
}

/** Reports the failure as an exit with `spawnError`, on a later tick, like a failed spawn. */
export function deadRun(run: RunStartOptions, spawnError: string): AgentRun {
  const info: ExitInfo = { code: null, signal: null, stderrTail: '', spawnError };
  const exited = new Promise<ExitInfo>((resolve) =>
    setImmediate(() => {
      run.sink.exited(info);
      resolve(info);
    }),
  );
  return {
    pid: undefined,
    pgid: null,
    exited,
    sendUserMessage: () => undefined,
    respond: () => false,
    answerToolCheck: () => false,
    interrupt: async () => false,
    close: () => exited,
    kill: () => undefined,
  };
}
