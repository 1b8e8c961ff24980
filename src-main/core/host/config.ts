import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AGENT_ID_PATTERN, AUTOMATION_NAME_PATTERN } from '../../contract/index.ts';
import { schedulesConfig, webhookConfig } from '../schedules/config-schema.ts';

/** Port the loopback API uses when neither `--port`, `REINS_PORT` nor the config names one. */
export const DEFAULT_PORT = 7717;

const agentConfig = z.strictObject({
  /** Executable to run; a bare name is looked up on PATH (`REINS_<ID>_BIN` overrides it). */
  bin: z.string().min(1).optional(),
  /** For an agent Reins does not know by name: the protocol it speaks (the Agent Client Protocol). */
  protocol: z.enum(['acp']).optional(),
  /** For a declared agent: the name surfaces show. */
  displayName: z.string().min(1).max(60).optional(),
  /** Extra arguments appended to Reins' own. */
  args: z.array(z.string()).default([]),
  /**
   * Extra environment for this agent only. Reins' own variables (`REINS_*`: bot token, owner id,
   * home) can never be given to an agent, which runs model-chosen commands.
   */
  env: z
    .record(z.string(), z.string())
    .default({})
    .superRefine((env, ctx) => {
      for (const key of Object.keys(env)) {
        if (key.toUpperCase().startsWith('REINS_')) ctx.addIssue({ code: 'custom', path: [key], message: "Reins' own variables cannot be passed to an agent" });
      }
    }),
});

/** A spending limit: dollars, tokens (input, output and cache, as the agents report them), or both. */
const budgetLimit = z
  .strictObject({
    costUsd: z.number().positive().optional(),
    tokens: z.number().int().positive().optional(),
  })
  .transform((b) => ({ costUsd: b.costUsd ?? null, tokens: b.tokens ?? null }));

/** The config file schema (`<home>/config.json`). Every field is optional. */
const configSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).default(DEFAULT_PORT),
  /** Seconds a pending approval waits before it is denied as timed out. */
  approvalTimeoutSeconds: z.number().positive().max(86_400).default(300),
  watchdog: z
    .strictObject({
      /** Minutes without agent output during a turn before the session is marked `stalled`. */
      stallAfterMinutes: z.number().positive().default(5),
      /** Further minutes of silence after `stalled` before the agent is killed. */
      killAfterMinutes: z.number().positive().default(10),
    })
    .default({ stallAfterMinutes: 5, killAfterMinutes: 10 }),
  /**
   * Housekeeping of quiet sessions. `idleMinutes`: an idle session's agent process is ended after this
   * long without activity (the session stays resumable); a session waiting for the owner is instead
   * reminded once per this interval. `archiveAfterDays`: sessions created longer ago than this are
   * archived unless they are busy or waiting. 0 turns either off.
   */
  reaper: z
    .strictObject({
      idleMinutes: z.number().min(0).max(525_600).default(60),
      archiveAfterDays: z.number().min(0).max(36_500).default(30),
    })
    .default({ idleMinutes: 60, archiveAfterDays: 30 }),
  /**
   * Spending limits. `session`: what each new session may spend (a session can be started with its
   * own); `day`: what all sessions together may spend in a local calendar day. At a limit the session
   * pauses and asks to continue with a new limit or to stop. No limit unless set.
   */
  budgets: z
    .strictObject({ session: budgetLimit.optional(), day: budgetLimit.optional() })
    .default({})
    .transform((b) => ({ session: b.session ?? { costUsd: null, tokens: null }, day: b.day ?? { costUsd: null, tokens: null } })),
  /** Longest agent output line accepted, in bytes; longer lines become error events. */
  maxLineBytes: z
    .number()
    .int()
    .min(1024)
    .max(256 * 1024 * 1024)
    .default(8 * 1024 * 1024),
  /** Settings per agent id (`claude`, `codex`, …, or a declared agent's own id). */
  agents: z.record(z.string().regex(AGENT_ID_PATTERN, 'an agent id: lower-case letters, digits and dashes'), agentConfig).default({}),
  telegram: z
    .strictObject({
      apiRoot: z.string().url().optional(),
      ownerId: z.number().int().positive().optional(),
      /** A forum supergroup id: one topic per session. */
      forumChatId: z.number().int().optional(),
      /** `/shell` in the chat: an owner-only terminal on this computer, every command audited. Off unless set. */
      shell: z.boolean().default(false),
    })
    .default({ shell: false }),
  /** Cron schedules that start sessions (see README "Schedules and webhooks"). */
  schedules: schedulesConfig.default([]),
  /** Signed webhooks that start sessions, by name. */
  webhooks: z.record(z.string().regex(AUTOMATION_NAME_PATTERN, 'a webhook name: lower-case letters, digits, "-" or "_"'), webhookConfig).default({}),
});
export type ReinsConfig = z.output<typeof configSchema>;
/** One agent's settings. */
export type AgentConfig = z.output<typeof agentConfig>;

/**
 * The configuration is not valid: the message lists each problem and says where to fix it, the
 * file or the environment variable (`source` is then the variable's name).
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly path: string;
  constructor(path: string, problems: string[]) {
    const fromEnv = /^[A-Z][A-Z0-9_]*$/.test(path);
    super(
      fromEnv
        ? `The environment variable ${path} is not valid: ${problems.join('; ')}. Fix or unset it.`
        : `Invalid config ${path}:\n${problems.map((p) => `  - ${p}`).join('\n')}\nFix the file (see README "Configuration") or delete it to use defaults.`,
    );
    this.path = path;
  }
}

/** Parses and validates a config object; throws {@link ConfigError} naming each bad field. */
export function parseConfig(raw: unknown, path = 'config'): ReinsConfig {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new ConfigError(
      path,
      result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`),
    );
  }
  return result.data;
}

/** Reads `<home>/config.json` (absent → defaults) and applies environment overrides. */
export function loadConfig(path: string, env: NodeJS.ProcessEnv): ReinsConfig {
  let raw: unknown = {};
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code !== 'ENOENT') {
      throw new ConfigError(path, [e instanceof SyntaxError ? `not valid JSON: ${e.message}` : `cannot read: ${e.message}`]);
    }
  }
  const config = parseConfig(raw, path);
  if (env.REINS_PORT) {
    const port = Number(env.REINS_PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('REINS_PORT', [`"${env.REINS_PORT}" is not a port number (0–65535)`]);
    config.port = port;
  }
  if (env.REINS_TELEGRAM_API_ROOT) config.telegram.apiRoot = env.REINS_TELEGRAM_API_ROOT;
  if (env.REINS_TELEGRAM_OWNER_ID) {
    const id = Number(env.REINS_TELEGRAM_OWNER_ID);
    if (!Number.isInteger(id) || id <= 0) throw new ConfigError('REINS_TELEGRAM_OWNER_ID', [`not a Telegram user id: ${env.REINS_TELEGRAM_OWNER_ID}`]);
    config.telegram.ownerId = id;
  }
  return config;
}
