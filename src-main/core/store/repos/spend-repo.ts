import type { BudgetLimit, Spend } from '../../../contract/index.ts';
import type { Db } from '../db.ts';

/**
 * Spend per session and local day, added to as each `usage` event is appended, and the limits of the
 * days the owner raised.
 */
export function createSpendRepo(db: Db) {
  const add = db.prepare(
    `INSERT INTO spend (session_id, day, cost_usd, tokens) VALUES (?, ?, ?, ?)
     ON CONFLICT (session_id, day) DO UPDATE SET cost_usd = cost_usd + excluded.cost_usd, tokens = tokens + excluded.tokens`,
  );
  const ofDay = db.prepare<[string], { cost_usd: number; tokens: number }>(
    'SELECT COALESCE(SUM(cost_usd), 0) AS cost_usd, COALESCE(SUM(tokens), 0) AS tokens FROM spend WHERE day = ?',
  );
  const dayLimit = db.prepare<[string], { cost_usd: number | null; tokens: number | null }>('SELECT cost_usd, tokens FROM budget_days WHERE day = ?');
  const setDayLimit = db.prepare(
    'INSERT INTO budget_days (day, cost_usd, tokens) VALUES (?, ?, ?) ON CONFLICT (day) DO UPDATE SET cost_usd = excluded.cost_usd, tokens = excluded.tokens',
  );
  return {
    add(sessionId: string, day: string, costUsd: number, tokens: number): void {
      add.run(sessionId, day, costUsd, tokens);
    },
    /** Everything spent on `day` (`YYYY-MM-DD`, local) across sessions. */
    day(day: string): Spend {
      const r = ofDay.get(day)!;
      return { costUsd: r.cost_usd, tokens: r.tokens };
    },
    /** The limit the owner set for `day`, when they raised it; otherwise the config's applies. */
    dayLimit(day: string): BudgetLimit | undefined {
      const r = dayLimit.get(day);
      return r && { costUsd: r.cost_usd, tokens: r.tokens };
    },
    setDayLimit(day: string, limit: BudgetLimit): void {
      setDayLimit.run(day, limit.costUsd, limit.tokens);
    },
  };
}
