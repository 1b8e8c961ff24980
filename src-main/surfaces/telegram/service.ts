/**
 * The Telegram bridge of a core: reads the token, checks it with getMe, and runs the bot when
 * there is someone to serve — a configured or paired owner, or a pairing in progress. Without
 * either the bot does not poll at all. `pair()` makes a one-time deep link and starts the bot
 * for it; a pairing nobody completes stops the bot again when it expires.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { Api } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { systemClock, systemTimers, type Clock, type Timers } from '../../core/clock.ts';
import type { Actor, CoreFacade, TelegramStatus } from '../../contract/index.ts';
import { ConflictError, InvalidRequestError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { SecretStore } from '../../core/secrets/index.ts';
import { startBot, type RunningBot } from './bot.ts';
import {
  apiRootOf,
  assertBotTokenShape,
  BOT_TOKEN_SECRET,
  BotTokenFormatError,
  callbackKey,
  resolveBotToken,
  TOKEN_ENV,
  type BotToken,
} from './credentials.ts';
import { grammySignal } from './grammy-signal.ts';
import type { OutboxSleep, OutboxStats } from './outbox/index.ts';
import { hashPairingCode, newPairingCode, pairingLink, type PairingInfo } from './pairing.ts';
import { createRedaction } from '../../core/redaction/index.ts';
import { createTelegramState } from './state.ts';
import { describe } from './tasks.ts';
import { resolveTuning, type TelegramTuning } from './tuning.ts';

export type { TelegramStatus };

/** What the API routes use of the service. */
export interface TelegramControl {
  pair(): Promise<PairingInfo>;
  status(): TelegramStatus;
  setToken(token: string, actor: Actor): Promise<TelegramStatus>;
  /** Reins' own secrets this bridge holds or was given (bot token, signing key, the API token): never shown anywhere. */
  ownSecrets(): string[];
}

/** Inputs of {@link createTelegramService}. */
export interface TelegramServiceDeps {
  core: CoreFacade;
  /** For `REINS_TELEGRAM_TOKEN`. */
  env: NodeJS.ProcessEnv;
  /** Opens the secret store (keychain or 0600 file); called once, when first needed. */
  secrets: () => Promise<SecretStore>;
  log: Logger;
  tuning?: Partial<TelegramTuning>;
  clock?: Clock;
  timers?: Timers;
  sleep?: OutboxSleep;
  fetch?: typeof fetch;
  /** Secrets of the host to hide in everything the bot sends (the loopback API's token). */
  hostSecrets?: readonly string[];
}

/** Pairing is refused because the owner is fixed by configuration, or there is no bot yet. */
class TelegramPairingError extends ConflictError {
  override name = 'TelegramPairingError';
}

const realSleep: OutboxSleep = (ms, signal) => sleepFor(ms, undefined, signal ? { signal } : {});

/** Creates the bridge (nothing runs until `start()` or `pair()`). */
export function createTelegramService(deps: TelegramServiceDeps) {
  const { core } = deps;
  const log = deps.log.child({ ns: 'app:telegram' });
  const clock = deps.clock ?? systemClock;
  const timers = deps.timers ?? systemTimers;
  const sleep = deps.sleep ?? realSleep;
  const tuning = resolveTuning(deps.tuning);
  const apiRoot = apiRootOf(core.config.telegram.apiRoot);
  const configuredOwner = core.config.telegram.ownerId ?? null;
  const state = createTelegramState({ kv: core.kv, clock, log });

  let phase: TelegramStatus['state'] = 'starting';
  let error: string | null = null;
  let token: BotToken | null = null;
  let me: UserFromGetMe | null = null;
  let key: Buffer | null = null;
  let running: RunningBot | null = null;
  let expiryTimer: unknown = null;
  let stopped = false;
  let store: Promise<SecretStore> | null = null;
  const abort = new AbortController();
  // Lifecycle steps run one at a time: start, pair, expiry and stop never interleave.
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(step: () => Promise<T>): Promise<T> => {
    const next = chain.then(step, step);
    chain = next.catch(() => undefined);
    return next;
  };

  const owner = (): number | null => configuredOwner ?? state.pairedOwner();
  const pendingPairing = () => {
    const p = state.pairing();
    return p !== null && p.expiresAt > clock.now() ? p : null;
  };

  /** Reads the token and key and learns who the bot is; false when there is no usable token. */
  const load = async (): Promise<boolean> => {
    store ??= deps.secrets();
    // A keychain waiting on an unlock prompt must not hold up the core's shutdown.
    const secrets = await untilAborted(store, abort.signal);
    token = await untilAborted(resolveBotToken(deps.env, secrets), abort.signal);
    if (token === null) {
      phase = 'unconfigured';
      return false;
    }
    key ??= await untilAborted(callbackKey(secrets), abort.signal);
    for (let attempt = 1; me === null; attempt++) {
      try {
        me = await new Api(token.token, { apiRoot }).getMe(grammySignal(abort.signal));
      } catch (err) {
        const code = (err as { error_code?: unknown }).error_code;
        if (code === 401 || code === 404) throw new Error('Telegram rejected the bot token. Run `reins telegram setup` with the token BotFather gave you.');
        if (stopped) throw err;
        error = `Telegram is unreachable (${describe(err)}); retrying.`;
        log.warn({ err: describe(err), attempt }, 'telegram.getme_failed');
        await sleep(Math.min(tuning.pollBackoffMaxMs, tuning.pollBackoffMs * 2 ** (attempt - 1)), abort.signal);
      }
    }
    error = null;
    return true;
  };

  /** The bot token and the callback signing key (in each encoding it could be printed in), with the host's. */
  const ownSecrets = (): string[] => [
    ...(deps.hostSecrets ?? []),
    ...(token ? [token.token] : []),
    ...(key ? [key.toString('base64url'), key.toString('base64'), key.toString('hex')] : []),
  ];

  const run = (): void => {
    if (running !== null || token === null || me === null || key === null) return;
    const secrets = ownSecrets();
    running = startBot({
      core,
      token: token.token,
      apiRoot,
      botInfo: me,
      signingKey: key,
      state,
      redaction: createRedaction({ core, secrets, log }),
      tuning,
      clock,
      timers,
      sleep,
      fetch: deps.fetch ?? fetch,
      log,
      owner,
      paired: (userId) => {
        log.info({ userId }, 'telegram.paired');
        clearExpiry();
        phase = 'running';
      },
      fatal: (message) => {
        error = message;
        phase = 'failed';
        void serial(halt);
      },
    });
    phase = owner() !== null ? 'running' : 'pairing';
  };

  const halt = async (): Promise<void> => {
    const bot = running;
    running = null;
    await bot?.stop();
  };

  const clearExpiry = (): void => {
    if (expiryTimer !== null) timers.clearTimeout(expiryTimer);
    expiryTimer = null;
  };

  const settleIdle = (): void => {
    if (phase === 'failed' || phase === 'unconfigured') return;
    phase = running !== null ? (owner() !== null ? 'running' : 'pairing') : 'waiting_for_owner';
  };

  const startStep = async (): Promise<void> => {
    if (stopped) return;
    try {
      if (token === null || me === null) {
        phase = 'starting';
        if (!(await load())) return;
      }
      if (owner() !== null || pendingPairing() !== null) run();
      settleIdle();
    } catch (err) {
      if (stopped) return;
      phase = 'failed';
      error = err instanceof Error ? err.message : String(err);
      log.error({ err: describe(err) }, 'telegram.start_failed');
    }
  };

  const service = {
    /** Starts the bridge if it can; never throws (problems show in `status()`). */
    start: (): Promise<TelegramStatus> => serial(startStep).then(() => service.status()),

    /**
     * A new one-time pairing link (replacing any earlier one), starting the bot for it. Throws
     * {@link TelegramPairingError} when there is no bot token, or the owner is set by config.
     */
    pair: (): Promise<PairingInfo> =>
      serial(async () => {
        if (stopped) throw new TelegramPairingError('Reins is shutting down; pair after it restarted.');
        if (configuredOwner !== null) {
          throw new TelegramPairingError(
            `The owner is set to ${configuredOwner} by REINS_TELEGRAM_OWNER_ID or config.json (telegram.ownerId); remove it to pair another account.`,
          );
        }
        // No bot yet, or it failed (a revoked token): read the token again, `reins telegram setup`
        // may have stored a new one since.
        if (token === null || me === null || phase === 'failed') {
          await halt();
          token = null;
          me = null;
          error = null;
          await startStep();
          if (token === null) throw new TelegramPairingError('No bot token yet. Create a bot with @BotFather, then run `reins telegram setup`.');
          if (me === null) throw new TelegramPairingError(error ?? 'The bot could not be started; see `reins telegram status`.');
        }
        const bot = me as UserFromGetMe;
        const code = newPairingCode();
        const expiresAt = clock.now() + tuning.pairingTtlMs;
        state.setPairing({ hash: hashPairingCode(code), expiresAt });
        core.audit.append({ type: 'telegram.pairing_started', actor: 'reins', surface: 'telegram', subject: null, detail: { expiresAt, bot: bot.username } });
        run();
        settleIdle();
        clearExpiry();
        expiryTimer = timers.setTimeout(() => void serial(expire), Math.max(0, expiresAt - clock.now()) + 1);
        return { link: pairingLink(bot.username, code), code, expiresAt };
      }),

    /**
     * Stores a new bot token (`PUT /api/v1/telegram/token`) after Telegram accepted it, audits that
     * (the bot's name, never the token), and restarts the bridge with it.
     */
    setToken: (candidate: string, actor: Actor): Promise<TelegramStatus> =>
      serial(async () => {
        const given = candidate.trim();
        try {
          assertBotTokenShape(given);
        } catch (err) {
          if (err instanceof BotTokenFormatError) throw new InvalidRequestError(err.message);
          throw err;
        }
        if (deps.env[TOKEN_ENV]) throw new ConflictError(`${TOKEN_ENV} is set and overrides a stored token; unset it, then try again.`);
        let bot: UserFromGetMe;
        try {
          bot = await new Api(given, { apiRoot }).getMe(grammySignal(AbortSignal.any([abort.signal, AbortSignal.timeout(15_000)])));
        } catch (err) {
          const code = (err as { error_code?: unknown }).error_code;
          if (code === 401 || code === 404)
            throw new InvalidRequestError('Telegram rejected this token. Copy it again from @BotFather (/mybots → your bot → API Token).');
          throw new ConflictError(`Could not reach the Telegram Bot API at ${apiRoot} to check the token (${describe(err)}). Check the network and try again.`);
        }
        store ??= deps.secrets();
        const secrets = await untilAborted(store, abort.signal);
        await secrets.set(BOT_TOKEN_SECRET, given);
        core.audit.append({
          type: 'telegram.token_set',
          actor: actor.by,
          surface: actor.surface,
          subject: null,
          detail: { bot: bot.username, backend: secrets.backend },
        });
        await halt();
        token = null;
        me = null;
        error = null;
        await startStep();
        return service.status();
      }),

    status(): TelegramStatus {
      const own = owner();
      return {
        state: phase,
        bot: me ? { id: me.id, username: me.username } : null,
        ownerId: own,
        ownerSource: configuredOwner !== null ? 'config' : own !== null ? 'pairing' : null,
        pairingExpiresAt: pendingPairing()?.expiresAt ?? null,
        tokenSource: token?.source ?? null,
        forumChatId: core.config.telegram.forumChatId ?? null,
        apiRoot,
        error,
      };
    },

    ownSecrets,

    /** Outbox counters and live runs shown (benchmarks, diagnostics); null while the bot is off. */
    stats(): { outbox: OutboxStats; live: number } | null {
      return running?.stats() ?? null;
    },

    /** Stops polling, timers and the outbox; waits for pending work. Safe to call twice. */
    stop: (): Promise<void> => {
      stopped = true;
      abort.abort();
      clearExpiry();
      return serial(async () => {
        await halt();
        phase = 'stopped';
      });
    },
  };

  /** A pairing expired: without an owner the bot stops polling. */
  async function expire(): Promise<void> {
    expiryTimer = null;
    if (pendingPairing() !== null || owner() !== null) return;
    state.setPairing(null);
    log.info('telegram.pairing_expired');
    await halt();
    settleIdle();
  }

  return service;
}
/** `promise`, or a rejection as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** The bridge; see {@link createTelegramService}. */
export type TelegramService = ReturnType<typeof createTelegramService>;
