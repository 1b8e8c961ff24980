/**
 * `reins passcode set|clear|status`: the owner's optional passcode, which the phone asks for before
 * allowing critical calls and before changing modes or grants. Set and cleared only here, on the
 * machine (the API's token-only routes); the passcode is read without echo and sent once, in the
 * request body, to be hashed.
 */
import type { PasscodeStatus } from '../../contract/index.ts';
import { PASSCODE_MIN_LENGTH } from '../../contract/index.ts';
import { CliError, type ApiClient } from '../client.ts';

/** Where the command reads and writes; injected so tests can drive it. */
export interface PasscodeIo {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?(raw: boolean): unknown };
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const USAGE = 'Usage: reins passcode set|clear|status';

/** `reins passcode …`. */
export async function passcodeCommand(api: ApiClient, sub: string | undefined, io: PasscodeIo): Promise<number> {
  switch (sub) {
    case 'set': {
      const [first, second] = io.stdin.isTTY ? [await readHidden(io, 'New passcode: '), await readHidden(io, 'Type it again: ')] : await readPipedLines(io);
      if ([...first].length < PASSCODE_MIN_LENGTH) throw new CliError(`A passcode needs at least ${PASSCODE_MIN_LENGTH} characters; nothing was changed.`, 2);
      if (first !== second) throw new CliError('The two passcodes differ; nothing was changed.', 2);
      const before = (await api.get<{ passcode: PasscodeStatus }>('/passcode')).passcode;
      await api.put<{ passcode: PasscodeStatus }>('/passcode', { passcode: first });
      io.stdout.write(
        `✓ Passcode ${before.set ? 'changed' : 'set'}. The phone now asks for it before allowing critical calls and before changing modes or grants.\n`,
      );
      return 0;
    }
    case 'clear': {
      const before = (await api.get<{ passcode: PasscodeStatus }>('/passcode')).passcode;
      await api.del<{ passcode: PasscodeStatus }>('/passcode');
      io.stdout.write(before.set ? '✓ Passcode cleared: the phone no longer asks for one.\n' : 'No passcode was set.\n');
      return 0;
    }
    case 'status':
    case undefined: {
      const { passcode: p } = await api.get<{ passcode: PasscodeStatus }>('/passcode');
      const lines = [
        `Passcode: ${p.set ? `set${p.setAt !== null ? ` (since ${new Date(p.setAt).toLocaleString()})` : ''}` : 'not set: `reins passcode set` adds one'}`,
        `Phone:    ${
          p.lockedUntil !== null
            ? `locked until ${new Date(p.lockedUntil).toLocaleTimeString()} after ${p.maxTries} wrong passcodes; decide here or on the desktop`
            : `not locked (${p.failedTries} of ${p.maxTries} wrong tries)`
        }`,
      ];
      io.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    }
    default:
      throw new CliError(USAGE, 2);
  }
}

/** The passcode as one line: its line ending and surrounding spaces dropped (Telegram trims them too). */
const clean = (line: string): string => line.replace(/\r$/, '').trim();

/** Two lines from a pipe (`printf 'pass\npass\n' | reins passcode set`). */
async function readPipedLines(io: PasscodeIo): Promise<[string, string]> {
  let text = '';
  for await (const chunk of io.stdin as AsyncIterable<Buffer | string>) text += String(chunk);
  const lines = text.split('\n');
  if (lines.length < 2 || !clean(lines[0] ?? ''))
    throw new CliError('Give the passcode twice, one per line: `printf "%s\\n%s\\n" CODE CODE | reins passcode set`.', 2);
  return [clean(lines[0] ?? ''), clean(lines[1] ?? '')];
}

/** One line typed at the terminal without echo; Ctrl-C cancels. */
function readHidden(io: PasscodeIo, prompt: string): Promise<string> {
  const stdin = io.stdin;
  // Echo off before the prompt shows: keys typed (or pasted) as soon as it appears must not be echoed.
  stdin.setRawMode?.(true);
  io.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (err: CliError | null): void => {
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      io.stderr.write('\n');
      if (err) reject(err);
      else resolve(clean(typed));
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done(null);
        if (ch === '\u0003') return done(new CliError('Cancelled; nothing was changed.', 130));
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += ch;
      }
    };
    stdin.resume();
    stdin.on('data', onData);
  });
}
