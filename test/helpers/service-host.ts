import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult, ServiceHost } from '../../src-main/service/index.ts';
import { tempDir } from './temp-dir.ts';

/** Answers one service-manager command; undefined: success with no output. */
export type CommandAnswer = (program: string, args: readonly string[]) => Partial<CommandResult> | undefined;

/**
 * A service host on `platform` with a fresh temp home and a runner that records each command line (and
 * the bytes of each task XML handed to schtasks) instead of running it. `remove` deletes the home.
 */
export function recordingServiceHost(platform: NodeJS.Platform, answer: CommandAnswer = () => undefined) {
  const home = tempDir('reins-service-home-');
  const calls: string[] = [];
  const taskFiles: Buffer[] = [];
  const host: ServiceHost = {
    platform,
    userHome: home.path,
    uid: 501,
    windowsUser: 'DESK\\ana',
    tempDir: join(home.path, 'tmp'),
    run: async (program, args) => {
      calls.push([program, ...args].join(' '));
      const xml = args.indexOf('/XML');
      if (xml >= 0) taskFiles.push(readFileSync(args[xml + 1]!));
      return { code: 0, stdout: '', stderr: '', ...answer(program, args) };
    },
  };
  return { host, home: home.path, calls, taskFiles, remove: home.remove };
}
