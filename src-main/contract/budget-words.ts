/**
 * Budgets in numbers and words, the same on every surface and for a session's limit and a day's:
 * when a limit is reached, what "continue" raises it to, and how it reads.
 */
import type { BudgetAsk, BudgetLimit, SessionBudget, Spend } from './domain.ts';

/** True when a figure of `limit` is set and `spent` reached it. */
export function limitReached(spent: Spend, limit: BudgetLimit): boolean {
  return (limit.costUsd !== null && spent.costUsd >= limit.costUsd) || (limit.tokens !== null && spent.tokens >= limit.tokens);
}

/**
 * The limit "continue" offers: each reached figure gets as much again on top of what is spent (a
 * $1 budget spent to $1.04 continues to $2.04), figures not reached stay as they are.
 */
export function nextLimit(spent: Spend, limit: BudgetLimit): BudgetLimit {
  const raise = (used: number, cap: number | null, round: (n: number) => number): number | null =>
    cap === null ? null : used >= cap ? round(used + cap) : cap;
  return {
    costUsd: raise(
      spent.costUsd,
      limit.costUsd, // Up to the next cent, after rounding away float noise (0.6 + 0.5 is 1.1000000000000001).
      (n) => Math.ceil(Number((n * 100).toFixed(6))) / 100,
    ),
    tokens: raise(spent.tokens, limit.tokens, Math.ceil),
  };
}

/** `$1.04`, `$0.0031` (small sums keep two significant digits). */
export function formatUsd(n: number): string {
  if (n !== 0 && Math.abs(n) < 0.01) return `$${n.toPrecision(2)}`;
  return `$${n.toFixed(2)}`;
}

/** `950 tokens`, `12.3k tokens`, `1.2M tokens`. */
export function formatTokens(n: number): string {
  if (n < 1000) return `${n} tokens`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k tokens`;
  return `${(n / 1_000_000).toFixed(1)}M tokens`;
}

/** "$0.42, 12k tokens": what was spent, both figures. */
export function spentWords(spent: Spend): string {
  return `${formatUsd(spent.costUsd)}, ${formatTokens(spent.tokens)}`;
}

/** "$1.04 of $1.00, 12.3k of 10k tokens": each figure that has a limit, spent against it. */
export function spentAgainst(spent: Spend, limit: BudgetLimit): string {
  const parts: string[] = [];
  if (limit.costUsd !== null) parts.push(`${formatUsd(spent.costUsd)} of ${formatUsd(limit.costUsd)}`);
  if (limit.tokens !== null) parts.push(`${formatTokens(spent.tokens).replace(' tokens', '')} of ${formatTokens(limit.tokens)}`);
  return parts.join(', ');
}

/** The limit in words: "$2.08", "$2.08 and 20k tokens". */
export function limitWords(limit: BudgetLimit): string {
  const parts: string[] = [];
  if (limit.costUsd !== null) parts.push(formatUsd(limit.costUsd));
  if (limit.tokens !== null) parts.push(formatTokens(limit.tokens));
  return parts.join(' and ') || 'no limit';
}

/** One line for the approval: "Budget reached: this session spent $1.04 of $1.00". */
export function budgetTitle(ask: BudgetAsk): string {
  const whose = ask.scope === 'session' ? 'this session spent' : `today (${ask.day ?? ''}) all sessions spent`;
  return `Budget reached: ${whose} ${spentAgainst(ask.spent, ask.limit)}`;
}

/**
 * A session's spend for a header: against its limit when it has one ("$0.42 of $1.00"), else what
 * it spent ("$0.42, 12k tokens"); empty before the first usage report.
 */
export function spendWords(budget: SessionBudget): string {
  if (budget.limit.costUsd !== null || budget.limit.tokens !== null) return spentAgainst(budget.spent, budget.limit);
  if (budget.spent.tokens === 0 && budget.spent.costUsd === 0) return '';
  return spentWords(budget.spent);
}
