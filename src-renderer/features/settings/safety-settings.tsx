import { limitWords, spentAgainst, spentWords } from '../../../src-main/contract/budget-words.ts';
import type { DayBudget } from '../../../src-main/contract/domain.ts';
import type { PasscodeStatus } from '../../../src-main/contract/passcode.ts';
import { useLoad } from '../../frame/use-load.ts';
import { useApi } from '../../store-context.tsx';

/** Today's spend in one sentence, against the daily limit when there is one. */
function todayWords(today: DayBudget): string {
  const hasLimit = today.limit.costUsd !== null || today.limit.tokens !== null;
  if (hasLimit) return `Today (${today.day}): ${spentAgainst(today.spent, today.limit)} of the daily limit (${limitWords(today.limit)}).`;
  return `Today (${today.day}): ${spentWords(today.spent)}. No daily limit.`;
}

/** The passcode's state in one sentence: off, on, or locking the phone until a time. */
function passcodeWords(p: PasscodeStatus, now: number): string {
  if (!p.set) return 'No passcode: critical approvals and policy changes from the phone need only a tap.';
  if (p.lockedUntil !== null && p.lockedUntil > now) {
    return `Locked until ${new Date(p.lockedUntil).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })} after ${p.maxTries} wrong passcodes: decide critical approvals here or in the CLI meanwhile.`;
  }
  return `On: critical approvals and mode or grant changes from the phone ask for it${p.failedTries > 0 ? ` (${p.failedTries} wrong of ${p.maxTries} so far)` : ''}.`;
}

/** Spending today and the passcode: read here, set in config.json and with `reins passcode set`. */
export function SafetySettings() {
  const api = useApi();
  const today = useLoad(() => api.budgetToday());
  const passcode = useLoad(() => api.passcodeStatus());
  return (
    <section className="settings-section" aria-labelledby="safety-heading">
      <h3 id="safety-heading">Budgets and passcode</h3>
      <p role="status" aria-label="Spending today">
        {today.data ? todayWords(today.data) : today.error ? `Could not read the spend: ${today.error}` : 'Reading…'}
      </p>
      <p className="muted">
        Limits per session and per day (dollars, tokens or both) are set in <code>config.json</code> under <code>budgets</code>; a session at its limit pauses
        and asks.
      </p>
      <p role="status" aria-label="Passcode">
        {passcode.data ? passcodeWords(passcode.data, Date.now()) : passcode.error ? `Could not read the passcode state: ${passcode.error}` : 'Reading…'}
      </p>
      <p className="muted">
        Set, change or clear it on this computer with <code>reins passcode set</code> or <code>reins passcode clear</code>.
      </p>
    </section>
  );
}
