#!/usr/bin/env node
/**
 * `reins` command line: the daemon host plus a client of the running core's loopback API.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { ConfigError, CoreLockedError, DatabaseFromFutureError, homePaths, resolveHome } from '../core/index.ts';
import { PortInUseError } from '../daemon/index.ts';
import { currentServiceHost } from '../service/index.ts';
import { systemBrowserOpener } from './browser-opener.ts';
import { createApiClient, CliError } from './client.ts';
import { attachCommand } from './commands/attach.ts';
import { auditVerifyCommand } from './commands/audit.ts';
import { budgetCommand, budgetOption } from './commands/budget.ts';
import { daemonCommand } from './commands/daemon.ts';
import { doctorCommand } from './commands/doctor.ts';
import { exportCommand } from './commands/export.ts';
import { hooksInstallCommand, hooksUninstallCommand } from './commands/hooks.ts';
import { openCommand } from './commands/open.ts';
import { passcodeCommand } from './commands/passcode.ts';
import { scheduleCommand, webhookCommand } from './commands/schedules.ts';
import { serviceCommand } from './commands/service.ts';
import { logsCommand } from './commands/logs.ts';
import { approvalsCommand, decideCommand, renameCommand, runCommand, sendCommand, sessionsCommand, stopCommand } from './commands/sessions.ts';
import { telegramPairCommand, telegramSetupCommand, telegramStatusCommand, type TelegramIo } from './commands/telegram.ts';

const USAGE = `Usage: reins <command> [options]

  daemon [--home DIR] [--port N]        run the core in the foreground (prints a login link)
  open [--print]                        open Reins in your browser, signed in (a one-time
                                        link); --print only prints the link
  run --cwd DIR [--mode ask|auto|standby] [--agent claude] [--detach]
      [--budget-usd N] [--budget-tokens N] "PROMPT"
                                        start a session and follow it here: approvals
                                        answered with a key (a allow, s allow for the
                                        session, d deny, r deny with a reason); Ctrl-C
                                        detaches; --detach returns at once
  attach ID                             follow a session here (as run does)
  sessions [--all]                      list sessions (--all: archived ones too)
  send ID "TEXT" [--delivery queue|steer|interrupt]
                                        send a follow-up
  stop ID                               stop a session
  rename ID NEW-NAME                    give a session another name (a-z, 0-9, dashes)
  logs [-f] [-n LINES]                  the daemon's log as readable lines; -f follows it
  show ID                               print a session's transcript (Markdown, redacted)
  export ID [--format md|json|html] [--out FILE]
                                        a session's transcript, secrets redacted (stdout
                                        unless --out)
  approvals                             list pending approvals
  allow ID [--scope once|session|project [--wider]] [--answer "Question=Label" ...]
                                        a grant covers the same call; --wider picks the wider
                                        form shown by \`reins approvals\` (e.g. any arguments);
                                        a budget: [--budget-usd N] [--budget-tokens N] (the new
                                        limit; default: the one offered)
  budget                                today's spend against the daily limit, and each session's
  deny ID [--message "why"]
  telegram setup [--token TOKEN]        store the bot token (or pipe it in) after checking it
  telegram pair [--no-wait]             link your phone: prints a one-time link and QR code
  telegram status                       how the Telegram bridge is doing
  passcode set|clear|status             a passcode the phone asks for before allowing critical
                                        calls and changing modes or grants (set: typed twice,
                                        hidden, or two piped lines)
  schedule add --name N --cron "0 9 * * 1-5" --tz Europe/Berlin --project DIR [--agent claude]
               [--mode ask] --prompt "..."
                                        start a session on a cron schedule in a time zone
  schedule list | rm N | pause N | resume N
  webhook add N --project DIR [--agent claude] [--mode ask] --prompt "template {{field}}"
                                        a signed POST /api/v1/webhooks/N starts a session;
                                        prints its secret once
  webhook list | rm N | rotate N        rotate: a new secret (printed once)
  hooks install|uninstall claude|codex|gemini|cursor [--project DIR]
                                        let agents you start yourself ask Reins before
                                        each tool call (their own hook settings)
  hook AGENT                            the hook itself (reads the agent's hook input)
  service install|uninstall|status     run the daemon as a login service (systemd user unit,
                                        launchd agent or logon task), restarted after failures
  service logs [-f] [-n LINES]          the service's log
  doctor                                check what Reins needs and what is missing
  audit verify                          check the audit log against its seal in the keychain

Global: --home DIR (or REINS_HOME) selects the data directory. A session ID may be its name or
any unique prefix of its id (as \`reins sessions\` shows them); approval IDs, any unique prefix.
`;

const OPTIONS = {
  home: { type: 'string' },
  port: { type: 'string' },
  cwd: { type: 'string' },
  project: { type: 'string' },
  mode: { type: 'string', default: 'ask' },
  agent: { type: 'string', default: 'claude' },
  message: { type: 'string', short: 'm' },
  scope: { type: 'string' },
  detach: { type: 'boolean' },
  'budget-usd': { type: 'string' },
  'budget-tokens': { type: 'string' },
  wider: { type: 'boolean' },
  answer: { type: 'string', multiple: true },
  delivery: { type: 'string', default: 'queue' },
  token: { type: 'string' },
  'no-wait': { type: 'boolean' },
  print: { type: 'boolean' },
  all: { type: 'boolean' },
  name: { type: 'string' },
  cron: { type: 'string' },
  tz: { type: 'string' },
  prompt: { type: 'string' },
  follow: { type: 'boolean', short: 'f' },
  lines: { type: 'string', short: 'n' },
  format: { type: 'string', default: 'md' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The command line split into options and words, or a usage error naming what is wrong. */
function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (!e.code?.startsWith('ERR_PARSE_ARGS')) throw err;
    const option = /'(-[^']*)'/.exec(e.message)?.[1];
    const what =
      e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `unknown option ${option ?? ''}`.trim()
        : e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
          ? `option ${option ?? ''} needs a value`.replace('  ', ' ')
          : e.message.split('.')[0]!;
    throw new CliError(`${what}\n\n${USAGE}`, 2);
  }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine(argv);
  const [command, ...rest] = positionals;
  if (values.help || !command || command === 'help') {
    process.stdout.write(USAGE);
    return command || values.help ? 0 : 2;
  }
  const home = resolveHome(values.home, process.env);
  const need = (what: string, v: string | undefined): string => {
    if (!v) throw new CliError(`Missing ${what}.\n\n${USAGE}`, 2);
    return v;
  };
  switch (command) {
    case 'daemon': {
      const port = values.port === undefined ? undefined : Number(values.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535))
        throw new CliError(`--port must be a port number (got ${values.port}).`, 2);
      return daemonCommand(home, port);
    }
    case 'open':
      return openCommand(home, { print: values.print === true, openBrowser: systemBrowserOpener(), stdout: process.stdout });
    case 'run':
      return runCommand(createApiClient(home), {
        cwd: resolve(values.cwd ?? process.cwd()),
        agent: values.agent!,
        mode: values.mode!,
        prompt: rest.join(' '),
        detach: values.detach === true,
        ...budgetOption(values['budget-usd'], values['budget-tokens']),
      });
    case 'attach':
      return attachCommand(createApiClient(home), need('session id or name', rest[0]));
    case 'sessions':
      return sessionsCommand(createApiClient(home), values.all === true);
    case 'send':
      return sendCommand(createApiClient(home), need('session id', rest[0]), need('text', rest.slice(1).join(' ')), values.delivery!);
    case 'stop':
      return stopCommand(createApiClient(home), need('session id', rest[0]));
    case 'rename':
      return renameCommand(createApiClient(home), need('session id or name', rest[0]), need('new name', rest[1]));
    case 'logs':
      return logsCommand({ file: homePaths(home).log, lines: values.lines, follow: values.follow ?? false, write: (text) => process.stdout.write(text) });
    case 'show':
      // The transcript as Markdown in the terminal: the same redacted text `reins export` writes.
      return exportCommand(createApiClient(home), need('session id or name', rest[0]), 'md', null);
    case 'export':
      return exportCommand(createApiClient(home), need('session id or name', rest[0]), values.format!, values.out ? resolve(values.out) : null);
    case 'approvals':
      return approvalsCommand(createApiClient(home));
    case 'budget':
      return budgetCommand(createApiClient(home));
    case 'allow':
    case 'deny': {
      const answers = values.answer?.length
        ? Object.fromEntries(
            values.answer.map((a) => {
              const i = a.lastIndexOf('=');
              if (i <= 0) throw new CliError(`--answer takes "Question=Label" (got ${a}).`, 2);
              return [a.slice(0, i), a.slice(i + 1)];
            }),
          )
        : undefined;
      return decideCommand(createApiClient(home), need('approval id or handle', rest[0]), command, {
        ...(values.message ? { message: values.message } : {}),
        ...(values.scope ? { scope: values.scope } : {}),
        ...(values.wider ? { wider: true } : {}),
        ...(answers ? { answers } : {}),
        ...budgetOption(values['budget-usd'], values['budget-tokens']),
      });
    }
    case 'telegram': {
      const io: TelegramIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
      switch (rest[0]) {
        case 'setup':
          return telegramSetupCommand(home, process.env, values.token, io);
        case 'pair':
          return telegramPairCommand(home, !values['no-wait'], io);
        case 'status':
          return telegramStatusCommand(home, io);
        default:
          throw new CliError('Usage: reins telegram setup|pair|status', 2);
      }
    }
    case 'passcode':
      return passcodeCommand(createApiClient(home), rest[0], { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    case 'schedule':
    case 'webhook': {
      const add = {
        name: values.name,
        cron: values.cron,
        tz: values.tz,
        project: values.project && resolve(values.project),
        agent: values.agent!,
        mode: values.mode!,
        prompt: values.prompt,
      };
      const run = command === 'schedule' ? scheduleCommand : webhookCommand;
      return run(createApiClient(home), rest[0], rest.slice(1), add);
    }
    case 'hooks':
      if (rest[0] === 'install') return hooksInstallCommand(rest[1], home, values.project, process.env);
      if (rest[0] === 'uninstall') return hooksUninstallCommand(rest[1], home, values.project, process.env);
      throw new CliError('Usage: reins hooks install|uninstall <claude|codex|gemini|cursor> [--project DIR]', 2);
    case 'hook': {
      // bin/reins.js runs the hook without loading this file; this path serves `node src-main/cli/main.ts hook`.
      const { hookMain } = await import('../hooks/hook-main.ts');
      await hookMain([...rest, ...(values.home ? ['--home', values.home] : [])]);
      return 0;
    }
    case 'service':
      return serviceCommand(rest[0], {
        home,
        host: currentServiceHost(process.env),
        follow: values.follow ?? false,
        lines: values.lines,
        out: (line) => process.stdout.write(`${line}\n`),
      });
    case 'doctor':
      return doctorCommand(home, process.env);
    case 'audit':
      if (rest[0] !== 'verify') throw new CliError('Usage: reins audit verify', 2);
      return auditVerifyCommand(home);
    default:
      throw new CliError(`unknown command "${command}"\n\n${USAGE}`, 2);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const known =
      err instanceof CliError ||
      err instanceof ConfigError ||
      err instanceof CoreLockedError ||
      err instanceof DatabaseFromFutureError ||
      err instanceof PortInUseError;
    const message = err instanceof Error ? err.message : String(err);
    // One line saying what is wrong; the stack only on request, for a bug report.
    const detail = !known && process.env.REINS_DEBUG === '1' && err instanceof Error ? `\n${err.stack ?? ''}` : '';
    process.stderr.write(`reins: ${known ? message : `unexpected error: ${message.split('\n')[0]} (run again with REINS_DEBUG=1 for details)`}${detail}\n`);
    process.exitCode = err instanceof CliError ? err.exitCode : err instanceof PortInUseError ? 2 : 1;
  },
);
