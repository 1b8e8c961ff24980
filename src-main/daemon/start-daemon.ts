import { fileURLToPath } from 'node:url';
import { loadAuditSeal } from '../core/audit/index.ts';
import { createCore, silentLogger, type Core, type CoreDeps } from '../core/index.ts';
import { loadConfig } from '../core/host/config.ts';
import { homePaths } from '../core/host/paths.ts';
import { processIdentity } from '../core/host/process-identity.ts';
import { ensurePrivateDir } from '../core/host/private-dir.ts';
import { secretStoreFor, type SecretStore } from '../core/secrets/index.ts';
import { newToken, removeRuntimeFile, startApiServer, writeRuntimeFile, type ApiTimeouts } from '../surfaces/api/index.ts';
import { createTelegramService, type TelegramService, type TelegramTuning } from '../surfaces/telegram/index.ts';
import { REINS_VERSION } from './version.ts';

/** The port the API should listen on is taken by another program. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  readonly port: number;
  constructor(port: number) {
    super(`Port ${port} on 127.0.0.1 is taken by another program. Pick another with --port N or REINS_PORT (0 picks a free one).`);
    this.port = port;
  }
}

/** How the daemon runs the Telegram bridge; tests inject a secret store and short timings. */
interface DaemonTelegramOptions {
  /** The secret store of the bot token and signing key; default: keychain, else `<home>/secrets.json`. */
  secrets?: SecretStore;
  tuning?: Partial<TelegramTuning>;
}

export interface DaemonOptions extends CoreDeps {
  /**
   * The secret store (audit key and head, bot token, signing key); default: the OS keychain, else
   * `<home>/secrets.json`. Opened once and shared by the core and the Telegram bridge.
   */
  secrets?: SecretStore;
  /** Port override (`--port`); otherwise the config's (REINS_PORT or config.json or the default). */
  port?: number;
  /** Extra origins allowed to call the API (the desktop renderer). */
  extraOrigins?: readonly string[];
  /** Connection time limits of the API (tests shorten them). */
  apiTimeouts?: Partial<ApiTimeouts>;
  /** The Telegram bridge: options, or `false` to run without it. */
  telegram?: DaemonTelegramOptions | false;
}

/** The built renderer, served at `/` (a page saying how to build it while it is missing). */
const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

/**
 * Hosts the core under plain Node: the core, the loopback API, and runtime.json (0600) so local
 * clients can find it. The desktop app uses the same function in-process.
 */
export async function startDaemon(opts: DaemonOptions): Promise<{
  url: string;
  token: string;
  core: Core;
  telegram: TelegramService | null;
  /** A one-time login URL for a browser (2 minutes, single use; audited). */
  mintLoginUrl(): { url: string; expiresAt: number };
  stop(): Promise<void>;
}> {
  const log = opts.log ?? silentLogger;
  const env = opts.env ?? process.env;
  const tg = opts.telegram === false ? null : (opts.telegram ?? {});
  const paths = homePaths(opts.home);
  const home = paths.home;
  ensurePrivateDir(home);
  // A bad config or environment variable is reported before anything else is touched.
  const config = opts.config ?? loadConfig(paths.config, env);
  const secrets = opts.secrets ?? (tg ? tg.secrets : undefined) ?? (await secretStoreFor(home, env, (m) => log.warn(m)));
  const auditSeal = opts.auditSeal ?? (await loadAuditSeal(secrets, home, (m) => log.warn(m)));
  const core = createCore({ ...opts, config, auditSeal, secrets });
  const token = newToken();
  const telegram = tg
    ? createTelegramService({
        core,
        env,
        log,
        secrets: async () => secrets,
        hostSecrets: [token],
        ...(tg.tuning ? { tuning: tg.tuning } : {}),
      })
    : null;
  let server;
  try {
    server = await startApiServer({
      core,
      token,
      port: opts.port ?? core.config.port,
      version: REINS_VERSION,
      log,
      extraOrigins: opts.extraOrigins ?? [],
      staticDir: RENDERER_DIR,
      ...(opts.clock ? { clock: opts.clock } : {}),
      telegram,
      ...(opts.apiTimeouts ? { timeouts: opts.apiTimeouts } : {}),
    });
  } catch (err) {
    await core.stop();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new PortInUseError(opts.port ?? core.config.port);
    throw err;
  }
  core.protectApiPort(Number(new URL(server.url).port));
  writeRuntimeFile(core.paths.runtime, {
    url: server.url,
    token,
    pid: process.pid,
    version: REINS_VERSION,
    startedAt: core.startedAt,
    home: core.paths.home,
    identity: processIdentity(process.pid),
  });
  // Not awaited: a slow keychain or an offline Telegram must not hold the API back; problems
  // show in GET /api/v1/telegram/status.
  void telegram?.start();
  let stopping: Promise<void> | null = null;
  return {
    url: server.url,
    token,
    core,
    telegram,
    mintLoginUrl: () => server.mintLoginUrl(),
    stop() {
      stopping ??= (async () => {
        removeRuntimeFile(core.paths.runtime);
        await telegram?.stop();
        await server.close();
        await core.stop();
      })();
      return stopping;
    },
  };
}
