/**
 * The owner's optional passcode: set and cleared on the machine (CLI, through the token-guarded
 * API), checked for the riskiest actions from the phone. Every set, clear, right and wrong try and
 * every lock is audited; the passcode itself goes nowhere but into argon2.
 */
import type { Actor, AuditInput, NewEvent, PasscodeCheck, PasscodeStatus } from '../../contract/index.ts';
import { PASSCODE_MIN_LENGTH } from '../../contract/index.ts';
import type { Clock } from '../clock.ts';
import { InvalidRequestError } from '../errors.ts';
import type { Store } from '../store/index.ts';
import { hashPasscode, passcodeMatches } from './passcode-hash.ts';
import { afterWrongTry, isLocked, PASSCODE_LOCK_MS, PASSCODE_MAX_TRIES } from './passcode-lock.ts';

/** What one phone try is for: shown in the audit and, on a lock, in the session's transcript. */
interface PasscodeContext {
  /** "allow rm -rf build", "mode auto", "revoke a grant". */
  what: string;
  /** The session the action is about, when there is one: a lock is told in its transcript too. */
  sessionId?: string | undefined;
}

/** What the service is built with. */
interface PasscodeServiceDeps {
  store: Pick<Store, 'passcode' | 'sessions'>;
  /** Runs writes in one transaction (the unit of work: frames after commit). */
  transaction<T>(fn: () => T): T;
  audit: { append(input: AuditInput): unknown };
  events: { append(sessionId: string, events: readonly NewEvent[]): unknown };
  clock: Clock;
  /** How long a lock lasts (default 15 minutes). */
  lockMs?: number;
  /** Wrong tries that lock (default 5). */
  maxTries?: number;
}

/** Creates the passcode service over the store's `passcode` row. */
export function createPasscodeService(deps: PasscodeServiceDeps) {
  const { store, clock } = deps;
  const lockMs = deps.lockMs ?? PASSCODE_LOCK_MS;
  const maxTries = deps.maxTries ?? PASSCODE_MAX_TRIES;

  const status = (): PasscodeStatus => {
    const row = store.passcode.get();
    const now = clock.now();
    const locked = isLocked(row, now);
    return {
      set: row.hash !== null,
      setAt: row.setAt,
      lockedUntil: locked ? row.lockedUntil : null,
      failedTries: row.lockedUntil !== null && !locked ? 0 : row.failedTries,
      maxTries,
    };
  };

  /**
   * Tells the owner of a lock wherever they look: the audit log always, and the transcript of the
   * session the try was about as a `status` event (the event union already carries every surface's
   * "something happened to this session" line: the desktop window, the WebSocket and Telegram show
   * it), so no new event kind or stream frame is needed. The API's `GET /passcode` shows the lock.
   */
  const recordLock = (actor: Actor, context: PasscodeContext, lockedUntil: number): void => {
    deps.audit.append({
      type: 'passcode.locked',
      actor: actor.by,
      surface: actor.surface,
      subject: context.sessionId ?? null,
      detail: { for: context.what, lockedUntil, tries: maxTries },
    });
    const session = context.sessionId === undefined ? undefined : store.sessions.get(context.sessionId);
    if (session === undefined) return;
    deps.events.append(session.id, [
      {
        kind: 'status',
        payload: {
          state: session.state,
          // The machine's local time, as the owner reads it on the desktop and in the chat.
          detail: `phone approvals locked until ${new Date(lockedUntil).toTimeString().slice(0, 5)} after ${maxTries} wrong passcodes; decide on the desktop or the CLI`,
        },
      },
    ]);
  };

  return {
    status,

    /** Sets or changes the passcode (the CLI, as the owner on the machine); the lock starts over. */
    async set(passcode: string, actor: Actor): Promise<PasscodeStatus> {
      if ([...passcode].length < PASSCODE_MIN_LENGTH) throw new InvalidRequestError(`A passcode needs at least ${PASSCODE_MIN_LENGTH} characters.`);
      // Telegram trims a message: a passcode with outer spaces could never be typed on the phone.
      if (passcode !== passcode.trim()) throw new InvalidRequestError('A passcode may not start or end with spaces.');
      const phc = await hashPasscode(passcode);
      const changed = store.passcode.get().hash !== null;
      deps.transaction(() => {
        store.passcode.setHash(phc, clock.now());
        deps.audit.append({ type: changed ? 'passcode.changed' : 'passcode.set', actor: actor.by, surface: actor.surface, detail: {} });
      });
      return status();
    },

    /** Removes the passcode (and any lock). */
    clear(actor: Actor): PasscodeStatus {
      deps.transaction(() => {
        if (store.passcode.get().hash === null) return;
        store.passcode.setHash(null, null);
        deps.audit.append({ type: 'passcode.cleared', actor: actor.by, surface: actor.surface, detail: {} });
      });
      return status();
    },

    /**
     * One try from the phone. Refused without looking at the passcode while locked; a wrong one
     * counts towards the lock, a right one starts the count over.
     */
    async check(passcode: string, actor: Actor, context: PasscodeContext): Promise<PasscodeCheck> {
      const before = store.passcode.get();
      if (before.hash === null) return { ok: false, reason: 'not_set' };
      if (isLocked(before, clock.now())) return { ok: false, reason: 'locked', lockedUntil: before.lockedUntil! };
      const matches = await passcodeMatches(before.hash, passcode);
      // Read again after the (asynchronous) hash: a try that raced another, or a change of the
      // passcode meanwhile, must not be decided on the old row.
      return deps.transaction((): PasscodeCheck => {
        const row = store.passcode.get();
        const now = clock.now();
        const audit = (type: string, detail: Record<string, unknown>): void =>
          void deps.audit.append({
            type,
            actor: actor.by,
            surface: actor.surface,
            subject: context.sessionId ?? null,
            detail: { for: context.what, ...detail },
          });
        if (row.hash === null) return { ok: false, reason: 'not_set' };
        if (isLocked(row, now)) return { ok: false, reason: 'locked', lockedUntil: row.lockedUntil! };
        if (matches && row.hash === before.hash) {
          store.passcode.setLock(0, null);
          audit('passcode.accepted', {});
          return { ok: true };
        }
        const next = afterWrongTry(row, now, lockMs, maxTries);
        store.passcode.setLock(next.failedTries, next.lockedUntil);
        if (next.locked) {
          recordLock(actor, context, next.lockedUntil!);
          return { ok: false, reason: 'locked', lockedUntil: next.lockedUntil! };
        }
        const triesLeft = maxTries - next.failedTries;
        audit('passcode.rejected', { triesLeft });
        return { ok: false, reason: 'wrong', triesLeft };
      });
    },
  };
}
