import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandResult, CommandRunner } from './command-runner.ts';
import { launchdPlist } from './launchd-plist.ts';
import { serviceNames, type ServiceSpec, type ServiceRole } from './service-spec.ts';
import { systemdUnit } from './systemd-unit.ts';
import { taskXml } from './task-xml.ts';

/** A service operation that could not be done; the message says what to do, in one line. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
}

/** What `status` found. */
export interface ServiceStatus {
  installed: boolean;
  running: boolean;
  pid: number | null;
  /** The manager's own words: "active (running)", "failed (exit code 1)", "not installed", … */
  detail: string;
  /** The definition file, where the manager keeps one Reins wrote. */
  file: string | null;
}

/** Where and how the OS keeps login services, injected so tests can use a temp dir and fake runner. */
export interface ServiceHost {
  platform: NodeJS.Platform;
  /** The user's home folder (where ~/.config/systemd/user and ~/Library/LaunchAgents live). */
  userHome: string;
  /** `$XDG_CONFIG_HOME` when set. */
  xdgConfigHome?: string;
  /** Numeric user id (launchd's `gui/<uid>` domain). */
  uid: number;
  /** Windows `DOMAIN\user` for the task's logon trigger. */
  windowsUser: string;
  /** A folder for the temporary task XML handed to schtasks. */
  tempDir: string;
  run: CommandRunner;
}

/** Install, remove and inspect one role's login service on the host's OS. */
export interface ServiceManager {
  install(spec: ServiceSpec): Promise<ServiceStatus>;
  uninstall(role: ServiceRole): Promise<{ removed: string[] }>;
  status(role: ServiceRole): Promise<ServiceStatus>;
  /**
   * The command that shows the service's log (followed with `follow`), to run with inherited output; null
   * where the manager keeps no log of its own and the daemon's log file is the service's log.
   */
  logsCommand(role: ServiceRole, o: { follow: boolean; lines: number }): { program: string; args: string[] } | null;
}

const failed = (what: string, r: CommandResult) => `${what} failed (exit ${r.code}): ${(r.stderr || r.stdout).trim().split('\n')[0] ?? ''}`;

/** The service manager for the host's platform: systemd (Linux), launchd (macOS), Task Scheduler (Windows). */
export function createServiceManager(host: ServiceHost): ServiceManager {
  switch (host.platform) {
    case 'linux':
      return systemdManager(host);
    case 'darwin':
      return launchdManager(host);
    case 'win32':
      return taskSchedulerManager(host);
    default:
      throw new ServiceError(`Reins cannot install a login service on ${host.platform}; run \`reins daemon\` from your own startup script.`);
  }
}

function systemdManager(host: ServiceHost): ServiceManager {
  const dir = join(host.xdgConfigHome || join(host.userHome, '.config'), 'systemd', 'user');
  const systemctl = async (...args: string[]) => host.run('systemctl', ['--user', ...args]);
  /** Fails with what to do when no user manager answers (a container, a session over plain ssh, …). */
  const requireManager = async () => {
    const r = await systemctl('show-environment');
    if (r.code === 127) throw new ServiceError('systemctl is not installed: this Linux does not use systemd; run `reins daemon` from your own startup script.');
    if (r.code !== 0) {
      throw new ServiceError(
        'No systemd user manager answers (no login session here): log in on this machine, or run `loginctl enable-linger $USER` as an administrator, then retry.',
      );
    }
  };
  const version = async () => {
    const r = await host.run('systemctl', ['--version']);
    return Number(/systemd (\d+)/.exec(r.stdout)?.[1] ?? 0);
  };
  const status = async (role: ServiceRole): Promise<ServiceStatus> => {
    const { unit } = serviceNames(role);
    const file = join(dir, unit);
    if (!existsSync(file)) return { installed: false, running: false, pid: null, detail: 'not installed', file: null };
    const r = await systemctl('show', unit, '--property=ActiveState,SubState,MainPID,Result,ExecMainStatus');
    if (r.code !== 0) return { installed: true, running: false, pid: null, detail: `installed in ${file}; the user manager does not answer`, file };
    const props = Object.fromEntries(r.stdout.split('\n').map((line) => line.split('=', 2) as [string, string]));
    const pid = Number(props.MainPID) || null;
    const running = props.ActiveState === 'active';
    const exit = props.ExecMainStatus && props.ExecMainStatus !== '0' ? `, last exit code ${props.ExecMainStatus}` : '';
    return { installed: true, running, pid, detail: `${props.ActiveState ?? '?'} (${props.SubState ?? '?'}${exit})`, file };
  };
  return {
    async install(spec) {
      await requireManager();
      const { unit } = serviceNames(spec.role);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, unit), systemdUnit(spec, { systemdVersion: await version() }));
      // The daemon starts now; the desktop app is the one asking, so it only starts at the next login.
      const enable = spec.role === 'daemon' ? ['enable', '--now', unit] : ['enable', unit];
      for (const args of [['daemon-reload'], enable]) {
        const r = await systemctl(...args);
        if (r.code !== 0) throw new ServiceError(failed(`systemctl --user ${args.join(' ')}`, r));
      }
      return status(spec.role);
    },
    async uninstall(role) {
      const { unit } = serviceNames(role);
      const file = join(dir, unit);
      if (!existsSync(file)) return { removed: [] };
      // Stop and disable first (removes the WantedBy link), then the file, then tell the manager.
      const disable = await systemctl('disable', '--now', unit);
      rmSync(file, { force: true });
      await systemctl('daemon-reload');
      await systemctl('reset-failed', unit);
      if (disable.code !== 0 && disable.code !== 127) {
        throw new ServiceError(
          `${failed(`systemctl --user disable --now ${unit}`, disable)}; the unit file is removed, run \`systemctl --user daemon-reload\`.`,
        );
      }
      return { removed: [file] };
    },
    status,
    logsCommand(role, o) {
      const { unit } = serviceNames(role);
      return { program: 'journalctl', args: ['--user', '-u', unit, '-n', String(o.lines), '--no-pager', ...(o.follow ? ['-f'] : [])] };
    },
  };
}

function launchdManager(host: ServiceHost): ServiceManager {
  const dir = join(host.userHome, 'Library', 'LaunchAgents');
  const domain = `gui/${host.uid}`;
  const plistPath = (role: ServiceRole) => join(dir, `${serviceNames(role).label}.plist`);
  const status = async (role: ServiceRole): Promise<ServiceStatus> => {
    const file = plistPath(role);
    if (!existsSync(file)) return { installed: false, running: false, pid: null, detail: 'not installed', file: null };
    const r = await host.run('launchctl', ['print', `${domain}/${serviceNames(role).label}`]);
    if (r.code !== 0) return { installed: true, running: false, pid: null, detail: 'installed, not loaded (log out and in, or reinstall)', file };
    const pid = Number(/\bpid = (\d+)/.exec(r.stdout)?.[1]) || null;
    const state = /\bstate = ([\w ]+)/.exec(r.stdout)?.[1]?.trim() ?? 'unknown';
    const exit = /last exit code = (\S+)/.exec(r.stdout)?.[1];
    return { installed: true, running: state === 'running', pid, detail: `${state}${exit && exit !== '0' ? `, last exit code ${exit}` : ''}`, file };
  };
  return {
    async install(spec) {
      const { label } = serviceNames(spec.role);
      const file = plistPath(spec.role);
      mkdirSync(dir, { recursive: true });
      // A loaded older definition would keep running: unload it first (an error here means none was loaded).
      await host.run('launchctl', ['bootout', `${domain}/${label}`]);
      writeFileSync(file, launchdPlist(spec, label));
      // launchd loads every agent in ~/Library/LaunchAgents at login; loading it now would start a second app.
      if (spec.role === 'desktop') return status(spec.role);
      const r = await host.run('launchctl', ['bootstrap', domain, file]);
      if (r.code !== 0) throw new ServiceError(failed(`launchctl bootstrap ${domain}`, r));
      return status(spec.role);
    },
    async uninstall(role) {
      const file = plistPath(role);
      if (!existsSync(file)) return { removed: [] };
      await host.run('launchctl', ['bootout', `${domain}/${serviceNames(role).label}`]);
      rmSync(file, { force: true });
      return { removed: [file] };
    },
    status,
    logsCommand: () => null,
  };
}

function taskSchedulerManager(host: ServiceHost): ServiceManager {
  const status = async (role: ServiceRole): Promise<ServiceStatus> => {
    const { task } = serviceNames(role);
    const r = await host.run('schtasks', ['/Query', '/TN', task, '/V', '/FO', 'LIST']);
    if (r.code !== 0) return { installed: false, running: false, pid: null, detail: 'not installed', file: null };
    const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(r.stdout)?.[1]?.trim();
    const state = field('Status') ?? 'unknown';
    const last = field('Last Result');
    return { installed: true, running: state === 'Running', pid: null, detail: `${state}${last && last !== '0' ? `, last result ${last}` : ''}`, file: null };
  };
  return {
    async install(spec) {
      const { task } = serviceNames(spec.role);
      mkdirSync(host.tempDir, { recursive: true });
      const file = join(host.tempDir, `reins-task-${process.pid}.xml`);
      // schtasks reads the XML as the encoding its declaration names: UTF-16 LE with a byte-order mark.
      writeFileSync(
        file,
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(taskXml(spec, { userId: host.windowsUser, author: host.windowsUser }), 'utf16le')]),
      );
      try {
        const r = await host.run('schtasks', ['/Create', '/TN', task, '/XML', file, '/F']);
        if (r.code !== 0) throw new ServiceError(failed('schtasks /Create', r));
      } finally {
        rmSync(file, { force: true });
      }
      if (spec.role === 'daemon') await host.run('schtasks', ['/Run', '/TN', task]);
      return status(spec.role);
    },
    async uninstall(role) {
      const { task } = serviceNames(role);
      if ((await host.run('schtasks', ['/Query', '/TN', task])).code !== 0) return { removed: [] };
      await host.run('schtasks', ['/End', '/TN', task]);
      const r = await host.run('schtasks', ['/Delete', '/TN', task, '/F']);
      if (r.code !== 0) throw new ServiceError(failed('schtasks /Delete', r));
      return { removed: [`task "${task}"`] };
    },
    status,
    logsCommand: () => null,
  };
}
