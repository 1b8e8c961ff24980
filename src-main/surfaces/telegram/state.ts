/**
 * What the bridge must remember across restarts, kept in the core's key/value table: the update
 * offset, the owner, the pairing code's hash, live and approval message ids, topics, used button
 * nonces and short button handles. Each collection is one JSON value under `telegram.*`, read
 * once, validated, and written through on every change.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../core/log.ts';

/** The slice of the core's kv store the bridge uses. */
export interface KvStore {
  get(key: string): string | undefined;
  set(key: string, value: string, now: number): void;
  delete(key: string): void;
}

/** Where a session's messages go: the owner's private chat, or a topic of the forum group. */
export interface Place {
  readonly chatId: number;
  readonly threadId?: number;
}

const placeSchema = z.object({ chatId: z.number(), threadId: z.number().optional() });

const liveSchema = z.object({
  place: placeSchema,
  messageId: z.number().nullable(),
  /** Seq of the status event that started the run. */
  startSeq: z.number(),
  answerSent: z.boolean(),
});
/** A live-status message of a run that has not been closed yet. */
export type LiveRecord = z.infer<typeof liveSchema>;

const cardSchema = z.object({ place: placeSchema, messageId: z.number().nullable() });
/** An approval card still showing buttons. */
export type CardRecord = z.infer<typeof cardSchema>;

const handleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('menu'), menu: z.string(), options: z.array(z.string()), chatId: z.number(), expiresAt: z.number() }),
  z.object({ kind: z.literal('session'), sessionId: z.string(), chatId: z.number(), expiresAt: z.number() }),
  z.object({ kind: z.literal('followup'), followupId: z.string(), chatId: z.number(), expiresAt: z.number() }),
]);
/** What a short button handle stands for (approvals use their own handles). */
export type HandleTarget = z.infer<typeof handleSchema>;

const promptSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('deny_reason'), approvalId: z.string(), place: placeSchema, expiresAt: z.number() }),
  z.object({
    kind: z.literal('wizard'),
    place: placeSchema,
    step: z.enum(['project', 'agent', 'mode', 'prompt']),
    cwd: z.string().nullable(),
    agent: z.string().nullable(),
    mode: z.string().nullable(),
    plan: z.boolean(),
    messageId: z.number().nullable(),
    expiresAt: z.number(),
  }),
]);
/** Text the bridge waits for from the owner: a denial reason, or the /new wizard's answers. */
export type PendingPrompt = z.infer<typeof promptSchema>;

const queueSchema = z.object({ place: placeSchema, messageId: z.number().nullable(), sessionId: z.string() });
/** The "queued" notice of a follow-up that waits for the agent. */
export type QueueNotice = z.infer<typeof queueSchema>;

const pairingSchema = z.object({ hash: z.string(), expiresAt: z.number() });
/** A pending pairing: the code itself is never stored, only its SHA-256. */
export type PairingRecord = z.infer<typeof pairingSchema>;

/** Used nonces are kept longer than any button can stay valid (approvals wait at most 24 h). */
const NONCE_RETENTION_MS = 26 * 3600_000;
/** Bot messages remembered for "reply to route a follow-up", oldest forgotten first. */
const MESSAGE_MAP_CAPACITY = 2000;
/** Forum topics remembered, oldest forgotten first (a forgotten session gets a new topic if it speaks again). */
const TOPIC_MAP_CAPACITY = 500;
const HANDLE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A map kept as one JSON value. */
interface Blob<T> {
  get(key: string): T | undefined;
  put(key: string, value: T): void;
  remove(key: string): void;
  entries(): Array<[string, T]>;
}

/** Creates the bridge's persistent state on the core's kv store. */
export function createTelegramState(deps: { kv: KvStore; clock: Clock; log: Logger }) {
  const { kv, clock, log } = deps;
  const write = (key: string, value: unknown): void => kv.set(key, JSON.stringify(value), clock.now());
  const read = <T>(key: string, schema: z.ZodType<T>, fallback: T): T => {
    const raw = kv.get(key);
    if (raw === undefined) return fallback;
    try {
      return schema.parse(JSON.parse(raw));
    } catch (err) {
      // A value this version cannot read is dropped rather than trusted: the worst outcome is a
      // button that stops working or a message that is not repainted.
      log.warn({ key, err: String(err) }, 'telegram.state_unreadable');
      return fallback;
    }
  };
  const blob = <T>(key: string, schema: z.ZodType<T>): Blob<T> => {
    let cache: Record<string, T> | null = null;
    const load = (): Record<string, T> => (cache ??= read(key, z.record(z.string(), schema), {}) as Record<string, T>);
    const save = (): void => write(key, load());
    return {
      get: (k) => load()[k],
      put(k, value) {
        load()[k] = value;
        save();
      },
      remove(k) {
        if (!(k in load())) return;
        delete load()[k];
        save();
      },
      entries: () => Object.entries(load()),
    };
  };

  const live = blob('telegram.live', liveSchema);
  const cards = blob('telegram.cards', cardSchema);
  const topics = blob('telegram.topics', z.number());
  const handles = blob('telegram.handles', handleSchema);
  const queue = blob('telegram.queue', queueSchema);
  const answers = blob('telegram.answers', z.record(z.string(), z.string()));
  let nonces: Record<string, number> | null = null;
  let messages: Array<[number, number, string]> | null = null;

  const pruneHandles = (): void => {
    const now = clock.now();
    for (const [h, t] of handles.entries()) if (t.expiresAt <= now) handles.remove(h);
  };

  return {
    /** The next update id to ask Telegram for (everything below it was handled). */
    offset: (): number | null => read('telegram.offset', z.number().int(), null as number | null),
    setOffset: (offset: number): void => write('telegram.offset', offset),

    /** The owner made by pairing (a configured owner id takes precedence elsewhere). */
    pairedOwner: (): number | null => read('telegram.owner', z.number().int().positive(), null as number | null),
    setPairedOwner: (userId: number): void => write('telegram.owner', userId),

    pairing: (): PairingRecord | null => read('telegram.pairing', pairingSchema, null as PairingRecord | null),
    setPairing(p: PairingRecord | null): void {
      if (p === null) kv.delete('telegram.pairing');
      else write('telegram.pairing', p);
    },

    /** The session plain messages in the private chat go to. */
    focus: (): string | null => read('telegram.focus', z.string(), null as string | null),
    setFocus(sessionId: string | null): void {
      if (sessionId === null) kv.delete('telegram.focus');
      else write('telegram.focus', sessionId);
    },

    /**
     * Records a button nonce; false when it was used before (a replayed tap). Nonces older than
     * any button's lifetime are forgotten.
     */
    useNonce(nonce: string): boolean {
      const now = clock.now();
      nonces ??= read('telegram.nonces', z.record(z.string(), z.number()), {});
      if (nonce in nonces) return false;
      for (const [n, at] of Object.entries(nonces)) if (at < now - NONCE_RETENTION_MS) delete nonces[n];
      nonces[nonce] = now;
      write('telegram.nonces', nonces);
      return true;
    },
    /**
     * Makes a recorded nonce usable again: only for a tap that changed nothing (its decision
     * failed while the approval still waits), so the owner can retry the same button.
     */
    releaseNonce(nonce: string): void {
      nonces ??= read('telegram.nonces', z.record(z.string(), z.number()), {});
      if (!(nonce in nonces)) return;
      delete nonces[nonce];
      write('telegram.nonces', nonces);
    },

    live,
    cards,
    queue,
    /** Partial answers of a multi-question card, by approval id. */
    answers,

    /** Forum topic of each session. */
    topicOf: (sessionId: string): number | undefined => topics.get(sessionId),
    /** Records a session's topic; only the newest {@link TOPIC_MAP_CAPACITY} are kept. */
    setTopic(sessionId: string, threadId: number): void {
      // Removed first so that a remade topic counts as the newest. Session ids are UUIDs, never
      // integer-like keys, so the object keeps insertion order through JSON: oldest first.
      topics.remove(sessionId);
      topics.put(sessionId, threadId);
      const all = topics.entries();
      for (const [s] of all.slice(0, Math.max(0, all.length - TOPIC_MAP_CAPACITY))) topics.remove(s);
    },
    /** Forgets topic `threadId` (deleted or closed): its session's next message makes a new one. */
    forgetTopic(threadId: number): void {
      for (const [s, t] of topics.entries()) if (t === threadId) topics.remove(s);
    },
    sessionOfTopic(threadId: number): string | undefined {
      return topics.entries().find(([, t]) => t === threadId)?.[0];
    },

    /** Remembers which session a bot message belongs to, so replies to it reach that session. */
    rememberMessage(chatId: number, messageId: number, sessionId: string): void {
      messages ??= read('telegram.messages', z.array(z.tuple([z.number(), z.number(), z.string()])), []);
      messages.push([chatId, messageId, sessionId]);
      if (messages.length > MESSAGE_MAP_CAPACITY) messages.splice(0, messages.length - MESSAGE_MAP_CAPACITY);
      write('telegram.messages', messages);
    },
    sessionOfMessage(chatId: number, messageId: number): string | undefined {
      messages ??= read('telegram.messages', z.array(z.tuple([z.number(), z.number(), z.string()])), []);
      return messages.find(([c, m]) => c === chatId && m === messageId)?.[2];
    },

    /** A fresh 8-character handle for a button target. */
    newHandle(target: HandleTarget): string {
      pruneHandles();
      for (;;) {
        const bytes = randomBytes(8);
        let h = '';
        for (const b of bytes) h += HANDLE_CHARS[b % HANDLE_CHARS.length];
        if (handles.get(h) === undefined) {
          handles.put(h, target);
          return h;
        }
      }
    },
    /** The target of a handle, unless it expired. */
    handle(h: string): HandleTarget | undefined {
      const t = handles.get(h);
      return t !== undefined && t.expiresAt > clock.now() ? t : undefined;
    },
    dropHandle: (h: string): void => handles.remove(h),
    /** Drops every handle pointing at a session's live message (its run ended). */
    dropSessionHandles(sessionId: string): void {
      for (const [h, t] of handles.entries()) if (t.kind === 'session' && t.sessionId === sessionId) handles.remove(h);
    },

    prompt(): PendingPrompt | null {
      const p = read('telegram.prompt', promptSchema, null as PendingPrompt | null);
      return p !== null && p.expiresAt > clock.now() ? p : null;
    },
    setPrompt(p: PendingPrompt | null): void {
      if (p === null) kv.delete('telegram.prompt');
      else write('telegram.prompt', p);
    },
  };
}
/** The bridge's persistent state; see {@link createTelegramState}. */
export type TelegramState = ReturnType<typeof createTelegramState>;
