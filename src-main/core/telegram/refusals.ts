/**
 * Audit entries for refused updates (strangers, forged or replayed buttons). Every refusal is
 * counted, but at most one entry is written per interval, carrying how many it stands for, so a
 * flood of messages cannot flood the hash-chained audit log.
 */
import type { Clock } from '../clock.ts';
import type { AuditInput } from '../audit/audit-log.ts';

/** One refusal: why, who, where. */
export interface Refusal {
  readonly reason: string;
  readonly userId: number | null;
  readonly chatId: number | null;
  readonly update: string;
}

/** Creates the auditor; `append` is the core's audit log. */
export function createRefusalAudit(deps: { append(entry: AuditInput): unknown; clock: Clock; intervalMs: number }) {
  let lastAt = -Infinity;
  let folded = 0;
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
  return {
    /** Counts a refusal; writes an entry unless one was written within the interval. */
    refuse(r: Refusal): void {
      const now = deps.clock.now();
      if (now - lastAt < deps.intervalMs) {
        folded++;
        last = r;
        return;
      }
      lastAt = now;
      write(r, folded);
      folded = 0;
      last = null;
    },
    /** Writes the refusals counted since the last entry (on stop). */
    flush(): void {
      if (folded > 0 && last !== null) write(last, folded - 1);
      folded = 0;
      last = null;
    },
  };
}
/** See {@link createRefusalAudit}. */
export type RefusalAudit = ReturnType<typeof createRefusalAudit>;
