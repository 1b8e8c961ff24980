/**
 * Timings and limits of the Telegram bridge. Production uses {@link DEFAULT_TELEGRAM_TUNING};
 * tests pass shorter values through `createTelegramService({ tuning })`.
 */
import type { OutboxLimitsInput, RateWindow } from './outbox/index.ts';

/** Every knob of the bridge; see {@link DEFAULT_TELEGRAM_TUNING} for what each one means. */
export interface TelegramTuning {
  /** Seconds a getUpdates call is held open by Telegram while nothing happens. */
  readonly pollTimeoutS: number;
  /** Delay before the first retry of a failed getUpdates; doubles up to `pollBackoffMaxMs`. */
  readonly pollBackoffMs: number;
  readonly pollBackoffMaxMs: number;
  /** How long a pairing code (deep link) stays valid. */
  readonly pairingTtlMs: number;
  /** Wait after a live run changes before it is rendered, so bursts of events become one edit. */
  readonly liveDebounceMs: number;
  /** Minimum time between two renders of one live message (Telegram: ≤ 1 edit per 2 s). */
  readonly liveEditIntervalMs: number;
  /** How often running live messages are re-rendered so elapsed times stay true. */
  readonly liveTickMs: number;
  /**
   * Live-status traffic allowed per chat, kept below the chat's own limit so that an approval
   * card always finds a free slot instead of waiting behind progress edits.
   */
  readonly statusBudget: { readonly private: readonly RateWindow[]; readonly group: readonly RateWindow[] };
  /** Limits of the outbox (per chat, global, edit interval, backoff). */
  readonly outbox: OutboxLimitsInput;
  /** At most one audit entry per this interval for refused updates; the rest are counted in it. */
  readonly refusalAuditIntervalMs: number;
  /** Largest photo or document saved for an agent (Telegram lets bots download up to 20 MB). */
  readonly maxAttachmentBytes: number;
  /** How long a /new wizard or a "deny with reason" waits for the owner's text. */
  readonly promptTtlMs: number;
  /** How long menu buttons (/sessions, /grants, /mode, the wizard) stay usable. */
  readonly menuTtlMs: number;
  /** How long a passcode prompt waits for the owner's reply. */
  readonly passcodePromptTtlMs: number;
}

/**
 * Defaults. The private-chat window lets 3 calls through in any 3.3 s, which Telegram accepts
 * (about one per second on average, short bursts tolerated); live status may use 2 of them, so
 * the third is always there for an approval. Why 3.3 s and not 3: calls are counted when they are
 * sent, Telegram counts them when they arrive, and a call delayed on the way makes the next ones
 * arrive closer together; the 10 % margin absorbs that. Groups: 20 per minute, at most 2 per 3 s, of which
 * live status may use 12 per minute.
 */
const DEFAULT_TELEGRAM_TUNING: TelegramTuning = {
  pollTimeoutS: 30,
  pollBackoffMs: 1000,
  pollBackoffMaxMs: 30_000,
  pairingTtlMs: 10 * 60_000,
  liveDebounceMs: 700,
  liveEditIntervalMs: 2000,
  liveTickMs: 15_000,
  statusBudget: {
    private: [{ limit: 2, windowMs: 3300 }],
    group: [
      { limit: 1, windowMs: 3000 },
      { limit: 12, windowMs: 60_000 },
    ],
  },
  outbox: {
    private: [{ limit: 3, windowMs: 3300 }],
    group: [
      { limit: 2, windowMs: 3000 },
      { limit: 20, windowMs: 60_000 },
    ],
  },
  refusalAuditIntervalMs: 1000,
  maxAttachmentBytes: 20 * 1024 * 1024,
  promptTtlMs: 10 * 60_000,
  menuTtlMs: 24 * 3600_000,
  passcodePromptTtlMs: 2 * 60_000,
};

/** Fills unset fields from {@link DEFAULT_TELEGRAM_TUNING}. */
export function resolveTuning(input: Partial<TelegramTuning> = {}): TelegramTuning {
  return {
    ...DEFAULT_TELEGRAM_TUNING,
    ...input,
    statusBudget: { ...DEFAULT_TELEGRAM_TUNING.statusBudget, ...input.statusBudget },
    outbox: { ...DEFAULT_TELEGRAM_TUNING.outbox, ...input.outbox },
  };
}
