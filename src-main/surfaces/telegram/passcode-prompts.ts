/**
 * The passcode prompt the bridge waits on (at most one: a new one replaces it), and the ids of
 * recent prompt messages, so that a late reply to an expired prompt is still deleted rather than
 * passed on to an agent. Kept in the core's key/value table; it never holds what the owner typed.
 */
import { z } from 'zod';
import type { KvStore } from './state.ts';

const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('approval'), approvalId: z.string(), scope: z.enum(['once', 'session', 'project']) }),
  z.object({ kind: z.literal('mode'), sessionId: z.string(), mode: z.enum(['ask', 'auto', 'standby']) }),
  z.object({ kind: z.literal('revoke'), grantId: z.string() }),
]);
/** What the owner asked for and the passcode will let through. */
export type PasscodeTarget = z.infer<typeof targetSchema>;

const promptSchema = z.object({
  id: z.string(),
  place: z.object({ chatId: z.number(), threadId: z.number().optional() }),
  userId: z.number(),
  /** The prompt message (null until Telegram answered the send). */
  messageId: z.number().nullable(),
  expiresAt: z.number(),
  target: targetSchema,
  /** What it allows, as HTML for the chat ("allow <b>Run</b> …"). */
  whatHtml: z.string(),
  /** The same in plain words, for the audit log. */
  what: z.string(),
  sessionId: z.string().optional(),
});
/** A passcode prompt waiting for its reply. */
export type PasscodePrompt = z.infer<typeof promptSchema>;

const recordSchema = z.object({ active: promptSchema.nullable(), messageIds: z.array(z.tuple([z.number(), z.number()])) });
const KEY = 'telegram.passcode';
/** Prompt messages remembered for late replies. */
const RECENT = 50;

/** The persisted passcode prompts on the bridge's kv store. */
export function createPasscodePrompts(kv: KvStore, now: () => number) {
  const read = (): z.infer<typeof recordSchema> => {
    const raw = kv.get(KEY);
    if (raw === undefined) return { active: null, messageIds: [] };
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      value = null;
    }
    // An unreadable record is dropped: the worst outcome is a prompt to answer again.
    const parsed = recordSchema.safeParse(value);
    return parsed.success ? parsed.data : { active: null, messageIds: [] };
  };
  const write = (r: z.infer<typeof recordSchema>): void => kv.set(KEY, JSON.stringify(r), now());
  return {
    /** The prompt waiting for a reply, even if expired (the caller tells the owner). */
    active: (): PasscodePrompt | null => read().active,
    /** Makes `p` the prompt waiting for a reply (replacing any other). */
    start(p: PasscodePrompt): void {
      write({ ...read(), active: p });
    },
    /** Records the message that shows prompt `id`. */
    shown(id: string, chatId: number, messageId: number): void {
      const r = read();
      const messageIds = [...r.messageIds, [chatId, messageId] as [number, number]].slice(-RECENT);
      write({ active: r.active?.id === id ? { ...r.active, messageId } : r.active, messageIds });
    },
    /** Ends prompt `id` if it is still the one waiting. */
    end(id: string): void {
      const r = read();
      if (r.active?.id === id) write({ ...r, active: null });
    },
    /** Whether `messageId` in `chatId` is (or was) a prompt message. */
    isPromptMessage: (chatId: number, messageId: number): boolean => read().messageIds.some(([c, m]) => c === chatId && m === messageId),
  };
}
/** See {@link createPasscodePrompts}. */
export type PasscodePrompts = ReturnType<typeof createPasscodePrompts>;
