import { securePrivateDir, tightenedWarning } from '../../core/host/private-dir.ts';
import { createForegroundLogger, homePaths } from '../../core/index.ts';
import { startDaemon } from '../../daemon/index.ts';

/** `reins daemon`: runs the core in the foreground until SIGINT/SIGTERM. */
export async function daemonCommand(home: string, port: number | undefined): Promise<number> {
  // Private before anything is written there, the log file included.
  const tightened = tightenedWarning(home, securePrivateDir(home));
  const log = createForegroundLogger(homePaths(home).log);
  if (tightened) log.warn(tightened);
  const daemon = await startDaemon({ home, ...(port === undefined ? {} : { port }), log, env: process.env });
  const login = daemon.mintLoginUrl();
  process.stdout.write(
    `Reins is running at ${daemon.url}\nData directory: ${home}\nToken and URL for clients: ${daemon.core.paths.runtime}\nLog: ${daemon.core.paths.log}\n` +
      `Open Reins: ${login.url}  (valid for 2 minutes; \`reins open\` makes a new one)\nStop with Ctrl+C.\n`,
  );
  if (daemon.core.recovery.sessions || daemon.core.recovery.approvals) {
    process.stdout.write(
      `Recovered after an unclean stop: ${daemon.core.recovery.sessions} session(s) marked interrupted, ${daemon.core.recovery.approvals} approval(s) expired.\n`,
    );
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  process.stdout.write('Stopping…\n');
  await daemon.stop();
  return 0;
}
