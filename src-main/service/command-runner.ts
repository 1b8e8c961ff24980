import { execFile } from 'node:child_process';

/** What a finished command printed and how it ended. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program with arguments (never through a shell). Injected so tests see every call. */
export type CommandRunner = (program: string, args: readonly string[]) => Promise<CommandResult>;

/** The real runner: `execFile`, 30 s at most, a missing program reported as exit code 127. */
export const execRunner: CommandRunner = (program, args) =>
  new Promise((resolve) => {
    execFile(program, [...args], { timeout: 30_000, encoding: 'utf8', windowsHide: true }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      const code = !e ? 0 : e.code === 'ENOENT' ? 127 : typeof e.code === 'number' ? e.code : 1;
      resolve({ code, stdout: String(stdout ?? ''), stderr: String(stderr ?? (e?.message || '')) });
    });
  });
