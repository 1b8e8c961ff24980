import { join } from 'node:path';

/** Which program a login service starts: the headless daemon, or the desktop app. */
export type ServiceRole = 'daemon' | 'desktop';

/** Everything an OS service definition needs, independent of the OS. */
export interface ServiceSpec {
  role: ServiceRole;
  /** Shown by the service manager. */
  description: string;
  /** Absolute path of the executable. */
  program: string;
  /** Its arguments, unquoted: each generator quotes them for its own format. */
  args: string[];
  /** The folder the program starts in. */
  workingDirectory: string;
  /** The PATH the program gets: a login service starts with a bare one, and agents are found on PATH. */
  path: string;
  /** Where launchd and Task Scheduler runs write standard output and error (systemd uses the journal). */
  logFile: string;
}

/** Names of one role's definition for each service manager. */
export interface ServiceNames {
  /** systemd unit file name. */
  unit: string;
  /** launchd label (the plist is `<label>.plist`). */
  label: string;
  /** Task Scheduler task name. */
  task: string;
}

/** The fixed names per role, so install, status and uninstall always find the same definition. */
export function serviceNames(role: ServiceRole): ServiceNames {
  return role === 'daemon'
    ? { unit: 'reins.service', label: 'dev.reins.daemon', task: 'Reins' }
    : { unit: 'reins-desktop.service', label: 'dev.reins.desktop', task: 'Reins Desktop' };
}

/** The daemon for the data directory `home`, started by `node <launcher> daemon --home <home>`. */
export function daemonServiceSpec(o: { home: string; node: string; launcher: string; path: string }): ServiceSpec {
  return {
    role: 'daemon',
    description: 'Reins: run and supervise AI coding agents (headless daemon)',
    program: o.node,
    args: [o.launcher, 'daemon', '--home', o.home],
    workingDirectory: o.home,
    path: o.path,
    logFile: join(o.home, 'logs', 'service.log'),
  };
}

/**
 * The desktop app, started hidden in the tray at login. `appArgs` precede `--hidden`: an unpackaged app is
 * Electron's binary plus the app folder.
 */
export function desktopServiceSpec(o: { executable: string; appArgs?: string[]; home: string; path: string }): ServiceSpec {
  return {
    role: 'desktop',
    description: 'Reins desktop app (tray)',
    program: o.executable,
    args: [...(o.appArgs ?? []), '--hidden', '--home', o.home],
    workingDirectory: o.home,
    path: o.path,
    logFile: join(o.home, 'logs', 'desktop-service.log'),
  };
}
