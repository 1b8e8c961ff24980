import { CoreLockedError, type Logger } from '../core/index.ts';
import { readRuntimeFile, type RuntimeInfo } from '../surfaces/api/index.ts';

/** A core started in this process by the daemon host (`startDaemon` from src-main/daemon). */
interface DaemonHandle {
  url: string;
  token: string;
  stop(): Promise<void>;
}

/** The daemon host's start function; the desktop hosts the same core as `reins daemon`. */
type StartDaemon = (options: { home: string; env: NodeJS.ProcessEnv; log?: Logger }) => Promise<DaemonHandle>;

/** The core the desktop talks to: either its own (owned) or a daemon that was already running. */
export interface CoreLink {
  url: string;
  token: string;
  /** True when this process started the core and must stop it on quit. */
  owned: boolean;
  /** Stops the core if owned; a no-op for an attached daemon, which outlives the desktop. */
  stop(): Promise<void>;
}

/** Inputs of {@link connectToCore}; all IO is injected. */
export interface ConnectOptions {
  home: string;
  /** `<home>/runtime.json`, written by a running core. */
  runtimePath: string;
  env: NodeJS.ProcessEnv;
  startDaemon: StartDaemon;
  /** Logger handed to an in-process core. */
  log?: Logger;
  fetch: typeof fetch;
  isAlive(pid: number): boolean;
  sleep(ms: number): Promise<void>;
  /** How long to wait for a core that holds the lock to answer (it may be starting). Default 10 s. */
  lockWaitMs?: number;
}

/** A core holds the data directory but never answered; the desktop will not start a second one. */
export class CoreUnreachableError extends Error {
  override readonly name = 'CoreUnreachableError';
  readonly home: string;
  readonly pid: number;
  constructor(home: string, pid: number) {
    super(
      `A Reins core (pid ${pid}) holds ${home} but does not answer on its API. ` +
        'Wait for it to finish starting, or stop it (`reins stop`, or kill the pid) and open Reins again.',
    );
    this.home = home;
    this.pid = pid;
  }
}

const HEALTH_TIMEOUT_MS = 2_000;
const LOCK_POLL_MS = 250;

async function isHealthy(info: RuntimeInfo, doFetch: typeof fetch): Promise<boolean> {
  try {
    const response = await doFetch(`${info.url}/api/v1/health`, {
      headers: { authorization: `Bearer ${info.token}` },
      signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
    });
    if (!response.ok) return false;
    const body = (await response.json()) as { ok?: unknown; pid?: unknown };
    return body.ok === true && body.pid === info.pid;
  } catch {
    return false;
  }
}

function readRuntime(path: string): RuntimeInfo | undefined {
  try {
    const info = readRuntimeFile(path);
    const valid = info !== undefined && typeof info.url === 'string' && typeof info.token === 'string' && Number.isInteger(info.pid) && info.pid > 0;
    return valid ? info : undefined;
  } catch {
    return undefined; // half-written or unreadable: treat as "no running core"
  }
}

async function attachIfRunning(options: ConnectOptions): Promise<CoreLink | undefined> {
  const info = readRuntime(options.runtimePath);
  if (!info || !options.isAlive(info.pid) || !(await isHealthy(info, options.fetch))) return undefined;
  return { url: info.url, token: info.token, owned: false, stop: async () => {} };
}

/**
 * Finds the core for the data directory. Exactly one core may run per directory (Telegram refuses two
 * pollers on one bot token), so a healthy running daemon is attached to; only when none answers does
 * the desktop start the core in-process. If another process wins the race to start one, its core is
 * awaited and attached to instead.
 */
export async function connectToCore(options: ConnectOptions): Promise<CoreLink> {
  const running = await attachIfRunning(options);
  if (running) return running;
  try {
    const daemon = await options.startDaemon({
      home: options.home,
      env: options.env,
      ...(options.log ? { log: options.log } : {}),
    });
    return { url: daemon.url, token: daemon.token, owned: true, stop: () => daemon.stop() };
  } catch (error) {
    if (!(error instanceof CoreLockedError)) throw error;
    const deadline = options.lockWaitMs ?? 10_000;
    for (let waited = 0; waited < deadline; waited += LOCK_POLL_MS) {
      const attached = await attachIfRunning(options);
      if (attached) return attached;
      await options.sleep(LOCK_POLL_MS);
    }
    throw new CoreUnreachableError(options.home, error.pid);
  }
}
