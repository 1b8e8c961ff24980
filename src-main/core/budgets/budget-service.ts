import type { Actor, BudgetAsk, BudgetLimit, Session, Spend } from '../../contract/index.ts';
import { limitReached, limitWords, nextLimit, spentAgainst } from '../../contract/index.ts';
import type { AuditLog } from '../audit/index.ts';
import type { Clock } from '../clock.ts';
import { InvalidRequestError } from '../errors.ts';
import type { EventLog } from '../events/event-log.ts';
import type { Store } from '../store/index.ts';
import { localDay } from './local-day.ts';

export interface BudgetServiceDeps {
  store: Store;
  events: EventLog;
  audit: AuditLog;
  clock: Clock;
  /** The configured limits: each new session's, and the day's across sessions. */
  limits(): { session: BudgetLimit; day: BudgetLimit };
}

/** A limit as a surface sends it: a missing figure keeps the offered one. */
export interface WantedLimit {
  costUsd?: number | undefined;
  tokens?: number | undefined;
}

/**
 * Budgets: what a session may spend, alone and with the others in a day. Spend comes from the agents'
 * usage reports (summed in the store as each `usage` event is appended); a limit is looked at when a
 * turn ends and before one starts (agents report a turn's cost at its end), and for tokens before each
 * tool call or permission request mid-turn.
 */
export function createBudgetService(deps: BudgetServiceDeps) {
  const { store, events, audit, clock } = deps;

  /** Today's date and limit (the owner's raise for today, else the configured one). */
  const todayLimit = (): { day: string; limit: BudgetLimit } => {
    const day = localDay(clock.now());
    return { day, limit: store.spend.dayLimit(day) ?? deps.limits().day };
  };
  const today = (): { day: string; spent: Spend; limit: BudgetLimit } => {
    const t = todayLimit();
    return { ...t, spent: store.spend.day(t.day) };
  };

  return {
    today,

    /** The limit a new session starts with: its own when given, else the configured one. */
    initialLimit(given: WantedLimit | undefined): BudgetLimit {
      if (given === undefined) return deps.limits().session;
      return { costUsd: given.costUsd ?? null, tokens: given.tokens ?? null };
    },

    /**
     * The limit `session` has reached, its own first, then the day's; null while it may go on.
     * `inTurnTokens`: what the running turn used so far by the agent's reports, not yet recorded.
     */
    reached(session: Session, inTurnTokens = 0): BudgetAsk | null {
      const plus = (spent: Spend): Spend => ({ costUsd: spent.costUsd, tokens: spent.tokens + inTurnTokens });
      const own = { spent: plus(session.budget.spent), limit: session.budget.limit };
      if (limitReached(own.spent, own.limit)) return { scope: 'session', spent: own.spent, limit: own.limit, next: nextLimit(own.spent, own.limit) };
      // Asked before every tool call mid-turn: the day's spend is summed only when the day has a limit.
      const { day, limit } = todayLimit();
      if (limit.costUsd === null && limit.tokens === null) return null;
      const daySpent = plus(store.spend.day(day));
      if (limitReached(daySpent, limit)) return { scope: 'day', day, spent: daySpent, limit, next: nextLimit(daySpent, limit) };
      return null;
    },

    /**
     * The limit an allowed budget approval continues with: the owner's figures over the offered
     * ones. Refused when it is already reached: continuing would stop again at once.
     */
    planRaise(ask: BudgetAsk, sessionId: string, wanted: WantedLimit | undefined): BudgetLimit {
      const limit: BudgetLimit = {
        costUsd: wanted?.costUsd ?? ask.next.costUsd,
        tokens: wanted?.tokens ?? ask.next.tokens,
      };
      // What is recorded now, or what the ask counted when that was more (tokens of a turn still running).
      const recorded = ask.scope === 'session' ? (store.sessions.get(sessionId)?.budget.spent ?? ask.spent) : store.spend.day(ask.day ?? today().day);
      const spent = { costUsd: Math.max(recorded.costUsd, ask.spent.costUsd), tokens: Math.max(recorded.tokens, ask.spent.tokens) };
      if (limitReached(spent, limit))
        throw new InvalidRequestError(
          `The new limit must be above what is already spent (${spentAgainst(spent, limit)}); give a higher one or stop the session.`,
        );
      return limit;
    },

    /** Sets the raised limit (inside the approval's transaction), audited and told in the session's log. */
    applyRaise(ask: BudgetAsk, session: Session, limit: BudgetLimit, actor: Actor): void {
      if (ask.scope === 'session') store.sessions.setBudget(session.id, limit, clock.now());
      else store.spend.setDayLimit(ask.day ?? today().day, limit);
      audit.append({
        type: 'budget.raised',
        actor: actor.by,
        surface: actor.surface,
        subject: session.id,
        detail: { scope: ask.scope, ...(ask.day ? { day: ask.day } : {}), from: ask.limit, to: limit },
      });
      const whose = ask.scope === 'session' ? "the session's budget" : "today's budget";
      events.append(session.id, [
        {
          kind: 'status',
          payload: { state: session.state, detail: `${whose} was raised to ${limitWords(limit)} by ${actor.by} via ${actor.surface}; continuing` },
        },
      ]);
    },
  };
}
export type BudgetService = ReturnType<typeof createBudgetService>;
