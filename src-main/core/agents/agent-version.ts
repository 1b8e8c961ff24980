/**
 * What an agent's executable says its version is (`claude --version` …), for the settings screen, as
 * `reins doctor` shows it. Each executable is asked once per core; the answer is its first line.
 */
import { execFile } from 'node:child_process';

/** How long an executable may take to print its version (a first run of some CLIs is slow). */
const VERSION_TIMEOUT_MS = 10_000;
/** Enough for any version line; more output is cut. */
const MAX_OUTPUT = 64 * 1024;

/** Asks executables for their version; `null` when one does not run or prints nothing. */
export function createVersionProbe(env: NodeJS.ProcessEnv): (path: string, args: readonly string[]) => Promise<string | null> {
  const answers = new Map<string, Promise<string | null>>();
  return (path, args) => {
    const key = `${path}\0${args.join('\0')}`;
    let answer = answers.get(key);
    if (!answer) {
      answer = new Promise((resolve) => {
        execFile(path, [...args], { env, timeout: VERSION_TIMEOUT_MS, maxBuffer: MAX_OUTPUT, windowsHide: true }, (error, stdout) => {
          const line = String(stdout).trim().split('\n')[0]?.trim() ?? '';
          resolve(error || line === '' ? null : line);
        });
      });
      answers.set(key, answer);
    }
    return answer;
  };
}
