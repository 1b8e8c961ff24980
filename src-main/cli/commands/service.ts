import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { homePaths } from '../../core/host/paths.ts';
import { createServiceManager, daemonServiceSpec, ServiceError, type ServiceHost, type ServiceStatus } from '../../service/index.ts';
import { CliError } from '../client.ts';
import { lineCount, logsCommand } from './logs.ts';

/** Reins' launcher (same place from src-main/ and out/): the service runs `node <launcher> daemon`. */
const LAUNCHER = fileURLToPath(new URL('../../../bin/reins.js', import.meta.url));

const USAGE = 'Usage: reins service install | uninstall | status | logs [-f] [-n LINES]';

function describe(s: ServiceStatus): string {
  if (!s.installed) return 'not installed (install it with `reins service install`)';
  return `${s.detail}${s.pid ? `, pid ${s.pid}` : ''}${s.file ? ` — ${s.file}` : ''}`;
}

const asCliError = (err: unknown): never => {
  if (err instanceof ServiceError) throw new CliError(err.message);
  throw err;
};

/** `reins service install|uninstall|status|logs`: the daemon as a login service of this OS. */
export async function serviceCommand(
  sub: string | undefined,
  o: { home: string; host: ServiceHost; follow: boolean; lines: string | undefined; out: (line: string) => void },
): Promise<number> {
  let manager;
  try {
    manager = createServiceManager(o.host);
  } catch (err) {
    return asCliError(err);
  }
  switch (sub) {
    case 'install': {
      const spec = daemonServiceSpec({ home: o.home, node: process.execPath, launcher: LAUNCHER, path: process.env.PATH ?? '/usr/bin:/bin' });
      const status = await manager.install(spec).catch(asCliError);
      o.out(`Installed the Reins service: ${describe(status)}`);
      o.out('It starts when you log in and again after a failure (with growing pauses). Remove it with `reins service uninstall`.');
      return 0;
    }
    case 'uninstall': {
      const { removed } = await manager.uninstall('daemon').catch(asCliError);
      o.out(removed.length ? `Removed the Reins service (${removed.join(', ')}).` : 'The Reins service is not installed; nothing to remove.');
      return 0;
    }
    case 'status': {
      const status = await manager.status('daemon');
      o.out(`Reins service: ${describe(status)}`);
      return status.installed && !status.running ? 1 : 0;
    }
    case 'logs': {
      const command = manager.logsCommand('daemon', { follow: o.follow, lines: lineCount(o.lines, 100) });
      // launchd and Task Scheduler keep no log of their own: the daemon's log file is the service's log.
      if (!command) return logsCommand({ file: homePaths(o.home).log, lines: o.lines ?? '100', follow: o.follow, write: (text) => process.stdout.write(text) });
      return new Promise((resolve) => {
        const child = spawn(command.program, command.args, { stdio: 'inherit' });
        child.on('error', (err) => {
          o.out(`Cannot show the log: ${command.program} did not start (${err.message}). The daemon's own log is ${homePaths(o.home).log} (\`reins logs\`).`);
          resolve(1);
        });
        child.on('exit', (code) => resolve(code ?? 0));
      });
    }
    default:
      throw new CliError(USAGE, 2);
  }
}
