/**
 * Single key presses from the terminal (raw mode only while a key is awaited, so Ctrl-C and typing
 * behave as usual the rest of the time), and a line read with echo for a reason.
 */
import { createInterface } from 'node:readline/promises';
import type { KeyReader } from './follow-session.ts';

/** Keys from `stdin` when it is a terminal; null when it is a pipe or a file. */
export function terminalKeys(stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream): KeyReader | null {
  if (!stdin.isTTY) return null;
  return {
    next(signal: AbortSignal): Promise<string> {
      return new Promise((resolve) => {
        if (signal.aborted) {
          resolve('');
          return;
        }
        const done = (key: string): void => {
          stdin.off('data', onData);
          signal.removeEventListener('abort', onAbort);
          stdin.setRawMode(false);
          stdin.pause();
          resolve(key);
        };
        const onData = (chunk: Buffer): void => done(chunk.toString('utf8').slice(0, 1));
        const onAbort = (): void => done('');
        stdin.setRawMode(true);
        stdin.resume();
        stdin.on('data', onData);
        signal.addEventListener('abort', onAbort);
      });
    },
    async line(prompt: string): Promise<string> {
      const rl = createInterface({ input: stdin, output: stdout });
      try {
        return await rl.question(prompt);
      } finally {
        rl.close();
      }
    },
  };
}
