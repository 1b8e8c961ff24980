import pino, { type Logger } from 'pino';
import { ensurePrivateFile } from './host/private-dir.ts';
import { createConsoleLogStream } from './log-console.ts';

export type { Logger } from 'pino';

/** Field paths whose values never reach a log sink. */
const REDACT_PATHS = [
  'token',
  '*.token',
  'botToken',
  '*.botToken',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'env',
  '*.env',
  'prompt',
  '*.prompt',
  'text',
  '*.text',
  'passcode',
  '*.passcode',
];

/**
 * Creates the root logger (JSON to `destination`, stderr by default). Namespaces come from
 * `log.child({ ns: 'app:runner:claude' })`. Secrets and prompt text are redacted at the sink.
 */
export function createLogger(opts: { level?: string; destination?: NodeJS.WritableStream | number } = {}): Logger {
  return pino(
    { level: opts.level ?? process.env.REINS_LOG_LEVEL ?? 'info', redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } },
    typeof opts.destination === 'number'
      ? pino.destination(opts.destination)
      : ((opts.destination as pino.DestinationStream | undefined) ?? pino.destination(2)),
  );
}

/**
 * The foreground daemon's logger: readable lines on stderr from `consoleLevel` up (default
 * `warn`, or REINS_LOG_LEVEL), and every record from `info` as JSON in `file`.
 */
export function createForegroundLogger(file: string, consoleLevel = process.env.REINS_LOG_LEVEL ?? 'warn'): Logger {
  const fileLevel = pino.levels.values[consoleLevel]! < pino.levels.values.info! ? consoleLevel : 'info';
  // Created 0600 in a 0700 folder before pino opens it: log records name sessions, paths and errors.
  ensurePrivateFile(file);
  const streams = pino.multistream([
    { level: consoleLevel as pino.Level, stream: createConsoleLogStream() },
    { level: fileLevel as pino.Level, stream: pino.destination({ dest: file, append: true }) },
  ]);
  return pino({ level: fileLevel, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { pid: process.pid } }, streams);
}

/** A logger that writes nothing (tests, one-shot CLI commands). */
export const silentLogger: Logger = pino({ level: 'silent' });
