import type { ServiceSpec } from './service-spec.ts';
import { xmlText } from './xml-text.ts';

/**
 * One argument of a Windows command line, quoted the way the C runtime splits it (backslashes are
 * literal except before a quote, which is how `CommandLineToArgvW` reads them).
 */
function windowsArgument(arg: string): string {
  if (arg !== '' && !/[\s"]/.test(arg)) return arg;
  return `"${arg.replace(/(\\*)"/g, '$1$1\\"').replace(/(\\+)$/, '$1$1')}"`;
}

/**
 * A Task Scheduler task for `spec`: runs at the user's logon with their own rights (no administrator
 * needed), restarted every minute after a failure up to 10 times (a minute is the shortest interval the
 * scheduler accepts), never stopped for running long, started on battery.
 */
export function taskXml(spec: ServiceSpec, o: { userId: string; author: string }): string {
  return [
    '<?xml version="1.0" encoding="UTF-16"?>',
    '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
    '  <RegistrationInfo>',
    `    <Author>${xmlText(o.author)}</Author>`,
    `    <Description>${xmlText(spec.description)}</Description>`,
    '  </RegistrationInfo>',
    '  <Triggers>',
    '    <LogonTrigger>',
    '      <Enabled>true</Enabled>',
    `      <UserId>${xmlText(o.userId)}</UserId>`,
    '    </LogonTrigger>',
    '  </Triggers>',
    '  <Principals>',
    '    <Principal id="Author">',
    `      <UserId>${xmlText(o.userId)}</UserId>`,
    '      <LogonType>InteractiveToken</LogonType>',
    '      <RunLevel>LeastPrivilege</RunLevel>',
    '    </Principal>',
    '  </Principals>',
    '  <Settings>',
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <ExecutionTimeLimit>PT0S</ExecutionTimeLimit>',
    '    <RestartOnFailure>',
    '      <Interval>PT1M</Interval>',
    '      <Count>10</Count>',
    '    </RestartOnFailure>',
    '    <Enabled>true</Enabled>',
    '  </Settings>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${xmlText(windowsArgument(spec.program))}</Command>`,
    `      <Arguments>${xmlText(spec.args.map(windowsArgument).join(' '))}</Arguments>`,
    `      <WorkingDirectory>${xmlText(spec.workingDirectory)}</WorkingDirectory>`,
    '    </Exec>',
    '  </Actions>',
    '</Task>',
    '',
  ].join('\r\n');
}
