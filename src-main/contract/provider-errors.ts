/**
 * Model provider failures, agent-neutral: the kinds a person acts on differently, and the short title
 * each surface shows above what happened and what to do.
 */

export type ProviderErrorCategory = 'auth' | 'rate_limit' | 'overloaded' | 'context_too_long' | 'quota' | 'network' | 'server' | 'unknown';

const TITLES: Readonly<Record<ProviderErrorCategory, string>> = {
  auth: 'Not logged in',
  rate_limit: 'Rate limited',
  overloaded: 'Provider overloaded',
  context_too_long: 'Context too long',
  quota: 'Out of credit',
  network: 'Provider unreachable',
  server: 'Provider error',
  unknown: 'Agent error',
};

/** "Rate limited", "Context too long": a provider failure's kind in two words. */
export function providerErrorTitle(category: ProviderErrorCategory): string {
  return TITLES[category];
}

/** An agent's own retry of a failed request; the delay and the number of tries when it says them. */
export interface ProviderRetry {
  attempt: number;
  maxAttempts: number | null;
  delayMs: number | null;
}

/** "retrying in 8 s, attempt 2 of 10" ("retrying, attempt 2" when the agent does not say more). */
export function retryWords(retry: ProviderRetry): string {
  const when = retry.delayMs === null ? '' : ` in ${Math.max(1, Math.round(retry.delayMs / 1000))} s`;
  return `retrying${when}, attempt ${retry.attempt}${retry.maxAttempts === null ? '' : ` of ${retry.maxAttempts}`}`;
}

/**
 * "Rate limited: the model provider is rate-limiting requests", and "; retrying in 8 s, attempt 2 of
 * 10" while the agent retries by itself: a provider error in one line (the advice goes below it).
 */
export function providerErrorHeadline(p: { category: ProviderErrorCategory; message: string; retry?: ProviderRetry }): string {
  const head = `${providerErrorTitle(p.category)}: ${p.message}`;
  return p.retry ? `${head}; ${retryWords(p.retry)}` : head;
}
