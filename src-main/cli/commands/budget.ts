import type { DayBudget, Session } from '../../contract/index.ts';
import { formatTokens, formatUsd, spendWords, spentAgainst, spentWords } from '../../contract/index.ts';
import type { ApiClient } from '../client.ts';
import { CliError } from '../client.ts';
import { table } from '../format.ts';

/** `reins budget`: today's spend against the day's limit, then what each session spent. */
export async function budgetCommand(api: ApiClient): Promise<number> {
  const { today } = await api.get<{ today: DayBudget }>('/budget');
  const { sessions } = await api.get<{ sessions: Session[] }>('/sessions?all=1');
  const hasLimit = today.limit.costUsd !== null || today.limit.tokens !== null;
  process.stdout.write(
    `Today (${today.day}): ${hasLimit ? spentAgainst(today.spent, today.limit) : `${spentWords(today.spent)}; no daily limit (set budgets.day in config.json)`}\n`,
  );
  const spenders = sessions.filter((s) => spendWords(s.budget) !== '');
  if (spenders.length === 0) {
    process.stdout.write('No session has reported any spend yet.\n');
    return 0;
  }
  const limitOf = (s: Session): string =>
    s.budget.limit.costUsd === null && s.budget.limit.tokens === null ? 'no limit' : spentAgainst(s.budget.spent, s.budget.limit);
  const rows = spenders.map((s) => [s.name, s.id.slice(0, 8), s.state, formatUsd(s.budget.spent.costUsd), formatTokens(s.budget.spent.tokens), limitOf(s)]);
  process.stdout.write(`\n${table([['NAME', 'ID', 'STATE', 'SPENT', 'TOKENS', 'AGAINST ITS BUDGET'], ...rows])}\n`);
  return 0;
}

/**
 * `--budget-usd N` and `--budget-tokens N` as a limit for the API (`{ budget }`), or nothing when
 * neither is given. A figure that is not a positive number is a usage error.
 */
export function budgetOption(usd: string | undefined, tokens: string | undefined): { budget?: { costUsd?: number; tokens?: number } } {
  if (usd === undefined && tokens === undefined) return {};
  const budget: { costUsd?: number; tokens?: number } = {};
  if (usd !== undefined) {
    const n = Number(usd.replace(/^\$/, ''));
    if (!Number.isFinite(n) || n <= 0) throw new CliError(`--budget-usd takes an amount in dollars above 0, like 2.50 (got ${usd}).`, 2);
    budget.costUsd = n;
  }
  if (tokens !== undefined) {
    const n = Number(tokens.replace(/k$/i, '000'));
    if (!Number.isInteger(n) || n <= 0) throw new CliError(`--budget-tokens takes a whole number of tokens above 0, like 200000 or 200k (got ${tokens}).`, 2);
    budget.tokens = n;
  }
  return { budget };
}
