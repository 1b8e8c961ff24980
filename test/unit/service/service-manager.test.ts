import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServiceManager, currentServiceHost, daemonServiceSpec, desktopServiceSpec, execRunner, ServiceError } from '../../../src-main/service/index.ts';
import { type CommandAnswer, recordingServiceHost } from '../../helpers/service-host.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

// Install, status and uninstall per OS, with the service manager's commands answered by a recording
// runner (these tests run on Linux, so launchctl and schtasks cannot be real) and real files in a temp
// home: every command is checked in order, and uninstall must leave no file behind.

const dirs: { remove(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

function host(platform: NodeJS.Platform, answer?: CommandAnswer) {
  const made = recordingServiceHost(platform, answer);
  dirs.push(made);
  return { h: made.host, home: made.home, calls: made.calls, taskFiles: made.taskFiles };
}

const spec = daemonServiceSpec({ home: '/data/reins', node: '/usr/bin/node', launcher: '/opt/reins/bin/reins.js', path: '/usr/bin:/bin' });

/** Every file under `dir`, relative. */
function filesUnder(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
    : [];
}

describe('systemd (Linux)', () => {
  const running = (_program: string, args: readonly string[]) => {
    if (args.includes('--version')) return { stdout: 'systemd 256 (256.7-1)\n+PAM' };
    if (args.includes('show')) return { stdout: 'ActiveState=active\nSubState=running\nMainPID=4242\nResult=success\nExecMainStatus=0\n' };
    return undefined;
  };

  it('writes the unit, enables and starts it, reports it running; uninstall stops it and leaves no file', async () => {
    const { h, home, calls } = host('linux', running);
    const manager = createServiceManager(h);
    const status = await manager.install(spec);
    const unit = join(home, '.config', 'systemd', 'user', 'reins.service');
    expect(readFileSync(unit, 'utf8')).toContain('ExecStart="/usr/bin/node" "/opt/reins/bin/reins.js" "daemon" "--home" "/data/reins"');
    expect(readFileSync(unit, 'utf8')).toContain('RestartSteps=');
    expect(calls).toEqual([
      'systemctl --user show-environment',
      'systemctl --version',
      'systemctl --user daemon-reload',
      'systemctl --user enable --now reins.service',
      'systemctl --user show reins.service --property=ActiveState,SubState,MainPID,Result,ExecMainStatus',
    ]);
    expect(status).toEqual({ installed: true, running: true, pid: 4242, detail: 'active (running)', file: unit });

    calls.length = 0;
    expect(await manager.uninstall('daemon')).toEqual({ removed: [unit] });
    expect(calls).toEqual(['systemctl --user disable --now reins.service', 'systemctl --user daemon-reload', 'systemctl --user reset-failed reins.service']);
    expect(filesUnder(join(home, '.config'))).toEqual([]);
    expect((await manager.status('daemon')).installed).toBe(false);
  });

  it('says what to do when no user manager answers, and writes nothing', async () => {
    const { h, home } = host('linux', (_p, args) => (args.includes('show-environment') ? { code: 1, stderr: 'Failed to connect to bus' } : undefined));
    await expect(createServiceManager(h).install(spec)).rejects.toThrow(/No systemd user manager answers.*loginctl enable-linger/);
    expect(filesUnder(home)).toEqual([]);
  });

  it('shows a failed service with its exit code', async () => {
    const { h } = host('linux', (_p, args) =>
      args.includes('show') ? { stdout: 'ActiveState=failed\nSubState=failed\nMainPID=0\nResult=exit-code\nExecMainStatus=3\n' } : running(_p, args),
    );
    const manager = createServiceManager(h);
    await manager.install(spec);
    expect(await manager.status('daemon')).toMatchObject({ installed: true, running: false, pid: null, detail: 'failed (failed, last exit code 3)' });
  });

  it('registers the desktop app for the next login without starting a second one now', async () => {
    const { h, home, calls } = host('linux', running);
    const manager = createServiceManager(h);
    await manager.install(desktopServiceSpec({ executable: '/opt/Reins/reins', home: '/data/reins', path: '/usr/bin' }));
    expect(calls).toContain('systemctl --user enable reins-desktop.service');
    expect(calls.some((c) => c.includes('--now'))).toBe(false);
    expect(readFileSync(join(home, '.config', 'systemd', 'user', 'reins-desktop.service'), 'utf8')).toContain('"--hidden"');
  });

  it('follows the journal for logs', () => {
    const { h } = host('linux');
    expect(createServiceManager(h).logsCommand('daemon', { follow: true, lines: 50 })).toEqual({
      program: 'journalctl',
      args: ['--user', '-u', 'reins.service', '-n', '50', '--no-pager', '-f'],
    });
  });
});

describe('launchd (macOS)', () => {
  it('writes the agent, bootstraps it in the gui domain; uninstall boots it out and leaves no file', async () => {
    const { h, home, calls } = host('darwin', (_p, args) =>
      args[0] === 'print' ? { stdout: 'gui/501/dev.reins.daemon = {\n\tstate = running\n\tpid = 777\n\tlast exit code = 0\n}' } : undefined,
    );
    const manager = createServiceManager(h);
    const status = await manager.install(spec);
    const plist = join(home, 'Library', 'LaunchAgents', 'dev.reins.daemon.plist');
    expect(readFileSync(plist, 'utf8')).toContain('<key>KeepAlive</key>');
    expect(calls).toEqual(['launchctl bootout gui/501/dev.reins.daemon', `launchctl bootstrap gui/501 ${plist}`, 'launchctl print gui/501/dev.reins.daemon']);
    expect(status).toMatchObject({ installed: true, running: true, pid: 777, detail: 'running' });
    calls.length = 0;
    expect(await manager.uninstall('daemon')).toEqual({ removed: [plist] });
    expect(calls).toEqual(['launchctl bootout gui/501/dev.reins.daemon']);
    expect(filesUnder(home)).toEqual([]);
  });

  it('refuses clearly when launchd will not load it', async () => {
    const { h } = host('darwin', (_p, args) => (args[0] === 'bootstrap' ? { code: 5, stderr: 'Bootstrap failed: 5: Input/output error' } : undefined));
    await expect(createServiceManager(h).install(spec)).rejects.toThrow(
      new ServiceError('launchctl bootstrap gui/501 failed (exit 5): Bootstrap failed: 5: Input/output error'),
    );
  });
});

describe('Task Scheduler (Windows)', () => {
  it('creates the logon task from a UTF-16 XML file it then deletes, runs it; uninstall ends and deletes it', async () => {
    let installed = false;
    const { h, home, calls, taskFiles } = host('win32', (_p, args) => {
      if (args[0] === '/Create') installed = true;
      if (args[0] === '/Delete') installed = false;
      if (args[0] === '/Query')
        return installed
          ? { stdout: 'TaskName:  \\Reins\nStatus:    Running\nLast Result: 0\n' }
          : { code: 1, stderr: 'ERROR: The system cannot find the file specified.' };
      return undefined;
    });
    const manager = createServiceManager(h);
    const status = await manager.install(spec);
    expect(calls[0]).toMatch(/^schtasks \/Create \/TN Reins \/XML .+reins-task-\d+\.xml \/F$/);
    expect(calls.slice(1)).toEqual(['schtasks /Run /TN Reins', 'schtasks /Query /TN Reins /V /FO LIST']);
    expect(status).toMatchObject({ installed: true, running: true, detail: 'Running' });
    const xml = taskFiles[0]!;
    expect([...xml.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    expect(xml.subarray(2).toString('utf16le')).toContain('<LogonTrigger>');
    expect(filesUnder(home)).toEqual([]);

    calls.length = 0;
    expect(await manager.uninstall('daemon')).toEqual({ removed: ['task "Reins"'] });
    expect(calls).toEqual(['schtasks /Query /TN Reins', 'schtasks /End /TN Reins', 'schtasks /Delete /TN Reins /F']);
    expect((await manager.status('daemon')).installed).toBe(false);
  });
});

describe('a real systemd user manager', () => {
  // Where a user manager runs (a desktop Linux session, a CI runner with lingering), install and uninstall
  // the real unit, for a daemon that is only `sleep`, in a private XDG_CONFIG_HOME.
  const probe = spawnSync('systemctl', ['--user', 'show-environment'], { encoding: 'utf8' });
  const reason = probe.error ? `systemctl: ${probe.error.message}` : probe.status !== 0 ? probe.stderr.trim() || `exit ${probe.status}` : '';
  if (reason) process.stdout.write(`[service] the real install/uninstall round trip is skipped: no systemd user manager here (${reason})\n`);

  it.skipIf(reason !== '')('installs, runs and removes the unit, leaving nothing behind', async () => {
    const config = tempDir('reins-service-xdg-');
    dirs.push(config);
    const h = { ...currentServiceHost(process.env), xdgConfigHome: config.path, run: execRunner };
    const manager = createServiceManager(h);
    const sleeper = { ...spec, program: '/bin/sleep', args: ['300'], workingDirectory: config.path };
    const status = await manager.install(sleeper);
    expect(status.installed).toBe(true);
    expect(status.running).toBe(true);
    await manager.uninstall('daemon');
    expect(filesUnder(config.path)).toEqual([]);
    expect((await manager.status('daemon')).installed).toBe(false);
  });
});
