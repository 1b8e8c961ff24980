import type { ServiceSpec } from './service-spec.ts';
import { xmlText } from './xml-text.ts';

/**
 * A launchd agent (`~/Library/LaunchAgents/<label>.plist`) for `spec`: started at login, started again
 * when it exits with a failure (`KeepAlive.SuccessfulExit = false`), no sooner than 10 s after the
 * previous start (launchd's own throttle is its backoff).
 */
export function launchdPlist(spec: ServiceSpec, label: string): string {
  const string = (value: string) => `<string>${xmlText(value)}</string>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    '<dict>',
    '  <key>Label</key>',
    `  ${string(label)}`,
    '  <key>ProgramArguments</key>',
    '  <array>',
    ...[spec.program, ...spec.args].map((arg) => `    ${string(arg)}`),
    '  </array>',
    '  <key>WorkingDirectory</key>',
    `  ${string(spec.workingDirectory)}`,
    '  <key>EnvironmentVariables</key>',
    '  <dict>',
    '    <key>PATH</key>',
    `    ${string(spec.path)}`,
    '  </dict>',
    '  <key>RunAtLoad</key>',
    '  <true/>',
    '  <key>KeepAlive</key>',
    '  <dict>',
    '    <key>SuccessfulExit</key>',
    '    <false/>',
    '  </dict>',
    '  <key>ThrottleInterval</key>',
    '  <integer>10</integer>',
    ...(spec.role === 'desktop' ? ['  <key>LimitLoadToSessionType</key>', '  <string>Aqua</string>'] : []),
    '  <key>StandardOutPath</key>',
    `  ${string(spec.logFile)}`,
    '  <key>StandardErrorPath</key>',
    `  ${string(spec.logFile)}`,
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}
