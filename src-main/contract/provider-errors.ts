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

/** "retrying in 8 s, attempt 2 of 10". */
export function retryWords(retry: { attempt: number; maxAttempts: number; delayMs: number }): string {
  return `retrying in ${Math.max(1, Math.round(retry.delayMs / 1000))} s, attempt ${retry.attempt} of ${retry.maxAttempts}`;
}
