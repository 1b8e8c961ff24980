import type { ServiceSpec } from './service-spec.ts';

function refuseLineBreak(value: string): void {
  if (/[\n\r]/.test(value)) throw new Error(`a line break cannot be part of a service definition: ${JSON.stringify(value)}`);
}

/**
 * One word of an `ExecStart=` line. systemd splits it on whitespace, reads C-style escapes inside double
 * quotes, expands `%` specifiers and `$VAR`: a path holding any of these must not change meaning, so each
 * word is quoted and `\`, `"`, `%` and `$` escaped.
 */
function systemdWord(word: string): string {
  return quoted(word).replaceAll('$', '$$$$');
}

/** The program of an `ExecStart=` line: like a word, but systemd substitutes no variables in it. */
function systemdProgram(path: string): string {
  // systemd refuses such an executable name outright ("contains special characters").
  if (/["'\\]/.test(path))
    throw new Error(`systemd cannot start a program whose path has a quote or backslash (${path}); move it to a plainer folder and retry.`);
  return quoted(path);
}

function quoted(value: string): string {
  refuseLineBreak(value);
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('%', '%%')}"`;
}

/** An `Environment=` assignment: quoted like a word, but systemd expands no `$` there, only `%`. */
function environmentAssignment(name: string, value: string): string {
  return quoted(`${name}=${value}`);
}

/** A path setting such as `WorkingDirectory=`: taken whole, unquoted (quotes would be part of it); `%` expands. */
function systemdPath(path: string): string {
  refuseLineBreak(path);
  return path.replaceAll('%', '%%');
}

/**
 * A systemd user unit for `spec`. It restarts on failure: with growing delays (5 s doubling up to
 * 5 min) where systemd knows `RestartSteps` (version 254 and later), else every 10 s; either way
 * at most 10 starts in 10 minutes before systemd gives up and `reins service status` says so.
 */
export function systemdUnit(spec: ServiceSpec, o: { systemdVersion: number }): string {
  const backoff = o.systemdVersion >= 254 ? ['RestartSec=5', 'RestartSteps=6', 'RestartMaxDelaySec=300'] : ['RestartSec=10'];
  const target = spec.role === 'desktop' ? 'graphical-session.target' : 'default.target';
  return [
    '[Unit]',
    `Description=${spec.description}`,
    ...(spec.role === 'desktop' ? ['PartOf=graphical-session.target', 'After=graphical-session.target'] : []),
    'StartLimitIntervalSec=600',
    'StartLimitBurst=10',
    '',
    '[Service]',
    'Type=simple',
    `ExecStart=${[systemdProgram(spec.program), ...spec.args.map(systemdWord)].join(' ')}`,
    `WorkingDirectory=${systemdPath(spec.workingDirectory)}`,
    `Environment=${environmentAssignment('PATH', spec.path)}`,
    'Restart=on-failure',
    ...backoff,
    // Reins stops its agents itself on SIGTERM; give it time before systemd kills the rest.
    'TimeoutStopSec=30',
    'KillMode=mixed',
    '',
    '[Install]',
    `WantedBy=${target}`,
    '',
  ].join('\n');
}
