/**
 * Process helpers shared by the npm tasks (scripts/tasks/*). Tasks run children in the foreground and
 * hand Ctrl-C / SIGTERM through, so stopping `npm start` stops the daemon it started.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root (the folder holding package.json). */
export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Options for {@link runForeground}. */
export interface ForegroundOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/**
 * Runs `command` with inherited stdio until it exits, forwarding SIGINT and SIGTERM to it.
 * Resolves the exit code; a child killed by a signal resolves 128 + the signal number, as shells do.
 */
export function runForeground(command: string, args: readonly string[], options: ForegroundOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      stdio: 'inherit',
      cwd: options.cwd ?? projectRoot,
      env: options.env ?? process.env,
    });
    const forward = (signal: NodeJS.Signals): void => {
      child.kill(signal);
    };
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    const done = (code: number): void => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code);
    };
    child.on('error', (error) => {
      process.stderr.write(`[reins] could not run ${command}: ${error.message}\n`);
      done(127);
    });
    child.on('exit', (code, signal) => {
      if (code !== null) done(code);
      else done(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGKILL' ? 9 : 15));
    });
  });
}

/** True when an executable named `name` is on PATH (no shell involved). */
export function onPath(name: string, pathVariable: string = process.env.PATH ?? ''): boolean {
  return pathVariable
    .split(delimiter)
    .filter((dir) => dir !== '')
    .some((dir) => {
      try {
        accessSync(join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

/** Prints a launcher line (`[reins] …`) to stdout. */
export function say(line: string): void {
  process.stdout.write(`[reins] ${line}\n`);
}
