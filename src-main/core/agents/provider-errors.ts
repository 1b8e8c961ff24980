/**
 * A model provider's failure in plain words, agent-neutral: each agent's translator hands over what its
 * protocol reports (an HTTP status when it has one, the error text) and gets back what happened and what
 * to do, for the session's state reason and every surface.
 */

import type { NewEvent, ProviderErrorCategory, ProviderRetry } from '../../contract/index.ts';
import { retryWords } from '../../contract/index.ts';

/** What happened and what to do about it, in one short sentence each. */
interface ProviderError {
  category: ProviderErrorCategory;
  message: string;
  advice: string;
}

const WORDS: Record<ProviderErrorCategory, { message: string; advice: string }> = {
  auth: {
    message: 'not logged in to the model provider',
    advice: 'log the agent in (for Claude: run `claude` and /login) or set its API key, then send the message again',
  },
  rate_limit: {
    message: 'the model provider is rate-limiting requests',
    advice: 'wait a minute and send the message again, or lower how many sessions run at once',
  },
  overloaded: { message: 'the model provider is overloaded', advice: 'wait a few minutes and send the message again' },
  context_too_long: { message: 'the conversation is too long for the model', advice: 'start a new session, or compact this one (for Claude: send /compact)' },
  quota: {
    message: 'the account is out of credit or over its usage limit',
    advice: "check the provider account's billing and limits, then send the message again",
  },
  network: { message: 'the model provider could not be reached', advice: 'check the network connection (and any proxy), then send the message again' },
  server: { message: 'the model provider failed with a server error', advice: 'send the message again in a moment' },
  unknown: { message: 'the agent stopped with an error', advice: 'see the error in the transcript; send the message again to retry' },
};

/** Ordered: the first pattern that matches the text decides (statuses are checked first). */
const TEXT_PATTERNS: [RegExp, ProviderErrorCategory][] = [
  [/not logged in|please run \/login|invalid api key|authentication|unauthori[sz]ed|invalid bearer|x-api-key/i, 'auth'],
  [/prompt is too long|context (length|window)|too many tokens|maximum context/i, 'context_too_long'],
  [/credit balance|quota|billing|usage limit|insufficient/i, 'quota'],
  [/rate.?limit|too many requests/i, 'rate_limit'],
  [/overloaded/i, 'overloaded'],
  [/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|network|fetch failed|connection (error|refused)/i, 'network'],
];

function categoryOf(status: number | null, text: string): ProviderErrorCategory {
  // The text can be more precise than the status (a 400 is also "prompt is too long"; a 429 "usage limit").
  for (const [pattern, category] of TEXT_PATTERNS) if (pattern.test(text)) return category;
  if (status === 401 || status === 403) return 'auth';
  if (status === 429) return 'rate_limit';
  if (status === 529) return 'overloaded';
  if (status === 413) return 'context_too_long';
  if (status !== null && status >= 500) return 'server';
  return 'unknown';
}

/** Classifies a provider failure from its HTTP status (null when the agent gave none) and error text. */
export function describeProviderError(status: number | null, text: string): ProviderError {
  const category = categoryOf(status, text);
  return { category, ...WORDS[category] };
}

/** Longest agent error text kept with a provider error. */
const DETAIL_MAX = 2000;

type ProviderErrorPayload = Extract<NewEvent, { kind: 'provider_error' }>['payload'];

/** A provider failure ready for the event log and the session's state. */
export interface ProviderFailure {
  /** The `provider_error` event's payload (the agent's own words bounded in `detail`). */
  payload: ProviderErrorPayload;
  /**
   * The session's reason: while the agent retries, "…; retrying in 8 s, attempt 2 of 10" (running);
   * once the turn gave up, "…: what to do" (idle).
   */
  reason: string;
  /** A kind or an HTTP status is known: a provider error, not an agent error in other words. */
  known: boolean;
}

/**
 * What an agent reported of a failed model request, classified: `text` is what the classifier reads,
 * `detail` the agent's own words kept with the event (default `text`), `retry` when it retries itself.
 */
export function providerFailure(report: { status: number | null; text: string; detail?: string; retry?: ProviderRetry }): ProviderFailure {
  const described = describeProviderError(report.status, report.text);
  const detail = (report.detail ?? report.text).slice(0, DETAIL_MAX);
  return {
    payload: { ...described, status: report.status, ...(report.retry ? { retry: report.retry } : {}), ...(detail ? { detail } : {}) },
    reason: report.retry ? `${described.message}; ${retryWords(report.retry)}` : `${described.message}: ${described.advice}`,
    known: report.status !== null || described.category !== 'unknown',
  };
}
