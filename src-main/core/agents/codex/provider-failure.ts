/**
 * Codex's error notifications as a provider failure: `codexErrorInfo` names the kind (and carries the
 * upstream HTTP status when there was one); it becomes the status and words the agent-neutral
 * classifier (../provider-errors.ts) reads, so a Codex rate limit reads like Claude's.
 */
import type { ProviderRetry } from '../../../contract/index.ts';
import type { TurnError } from './generated/v2/TurnError.ts';

/** Words the classifier recognises, for each `codexErrorInfo` that names a kind. */
const INFO_WORDS: Readonly<Record<string, string>> = {
  contextWindowExceeded: 'context window exceeded',
  usageLimitExceeded: 'usage limit reached',
  sessionBudgetExceeded: 'usage limit reached',
  rateLimitExceeded: 'rate limit',
  serverOverloaded: 'overloaded',
  unauthorized: 'unauthorized',
};
const INFO_STATUS: Readonly<Record<string, number>> = { unauthorized: 401, internalServerError: 500 };

/** What the classifier reads of a Codex error: the upstream status when Codex forwarded one, and words naming its kind. */
export function codexFailureReport(error: TurnError): { status: number | null; text: string; detail: string } {
  const info = error.codexErrorInfo;
  let status: number | null = null;
  let hint = '';
  if (typeof info === 'string') {
    hint = INFO_WORDS[info] ?? '';
    status = INFO_STATUS[info] ?? null;
  } else if (info !== null && typeof info === 'object') {
    // Connection failures: `{ httpConnectionFailed: { httpStatusCode } }` and the like.
    const inner = Object.values(info)[0];
    const code = inner !== null && typeof inner === 'object' ? (inner as { httpStatusCode?: unknown }).httpStatusCode : undefined;
    status = typeof code === 'number' ? code : null;
    if (status === null) hint = 'connection error';
  }
  return { status, text: `${hint} ${error.message}`.trim(), detail: error.message };
}

/** Codex's own retry count from its message ("Reconnecting... 2/5"); it says no delay. */
export function codexRetry(message: string): ProviderRetry {
  const m = /(\d+)\s*\/\s*(\d+)/.exec(message);
  return m ? { attempt: Number(m[1]), maxAttempts: Number(m[2]), delayMs: null } : { attempt: 1, maxAttempts: null, delayMs: null };
}
