/**
 * Audit entries for refused updates (strangers, forged or replayed buttons). Every refusal is
 * counted, but at most one entry is written per interval, carrying how many it stands for, so a
 * flood of messages cannot flood the hash-chained audit log.
 */
import type { Clock, Timers } from '../../core/clock.ts';
import type { AuditInput } from '../../core/audit/audit-log.ts';

/** One refusal: why, who, where. */
export interface Refusal {
  readonly reason: string;
  readonly userId: number | null;
  readonly chatId: number | null;
  readonly update: string;
}

/**
 * Creates the auditor; `append` is the core's audit log. Refusals folded into a later entry are
 * written at the end of the interval at the latest, so none goes unrecorded.
 */
export function createRefusalAudit(deps: { append(entry: AuditInput): unknown; clock: Clock; timers: Timers; intervalMs: number }) {
  let lastAt = -Infinity;
  let folded = 0;
  let timer: unknown = null;
  const write = (r: Refusal, alsoRefused: number): void => {
    deps.append({
      type: 'telegram.refused',
      actor: r.userId === null ? 'telegram:unknown' : `telegram:${r.userId}`,
      surface: 'telegram',
      subject: r.chatId === null ? null : String(r.chatId),
      detail: { reason: r.reason, update: r.update, alsoRefused },
    });
  };
  let last: Refusal | null = null;
  const flush = (): void => {
    if (timer !== null) deps.timers.clearTimeout(timer);
    timer = null;
    if (folded > 0 && last !== null) {
      lastAt = deps.clock.now();
      write(last, folded - 1);
    }
    folded = 0;
    last = null;
  };
  return {
    /** Counts a refusal; writes an entry now unless one was written within the interval. */
    refuse(r: Refusal): void {
      const now = deps.clock.now();
      if (now - lastAt < deps.intervalMs) {
        folded++;
        last = r;
        timer ??= deps.timers.setTimeout(flush, lastAt + deps.intervalMs - now);
        return;
      }
      lastAt = now;
      write(r, 0);
    },
    /** Writes the refusals counted since the last entry (also on stop). */
    flush,
  };
}
/** See {@link createRefusalAudit}. */
export type RefusalAudit = ReturnType<typeof createRefusalAudit>;
