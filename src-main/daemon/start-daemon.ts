import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createCore, silentLogger, type Core, type CoreDeps } from '../core/index.ts';
import { newToken, removeRuntimeFile, startApiServer, writeRuntimeFile } from '../core/server/index.ts';
import { REINS_VERSION } from './version.ts';

export interface DaemonOptions extends CoreDeps {
  /** Port override (`--port`); otherwise the config's (REINS_PORT or config.json or the default). */
  port?: number;
  /** Extra origins allowed to call the API (the desktop renderer). */
  extraOrigins?: readonly string[];
}

/** The built renderer, served at `/` when present. */
const RENDERER_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

/**
 * Hosts the core under plain Node: the core, the loopback API, and runtime.json (0600) so local
 * clients can find it. The desktop app uses the same function in-process.
 */
export async function startDaemon(opts: DaemonOptions): Promise<{ url: string; token: string; core: Core; stop(): Promise<void> }> {
  const core = createCore(opts);
  const token = newToken();
  let server;
  try {
    server = await startApiServer({
      core,
      token,
      port: opts.port ?? core.config.port,
      version: REINS_VERSION,
      log: opts.log ?? silentLogger,
      extraOrigins: opts.extraOrigins ?? [],
      staticDir: existsSync(RENDERER_DIR) ? RENDERER_DIR : null,
    });
  } catch (err) {
    await core.stop();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      throw new Error(`Port ${opts.port ?? core.config.port} on 127.0.0.1 is taken by another program. Pick another with --port N or REINS_PORT.`);
    }
    throw err;
  }
  writeRuntimeFile(core.paths.runtime, { url: server.url, token, pid: process.pid, version: REINS_VERSION, startedAt: core.startedAt, home: core.paths.home });
  let stopping: Promise<void> | null = null;
  return {
    url: server.url,
    token,
    core,
    stop() {
      stopping ??= (async () => {
        removeRuntimeFile(core.paths.runtime);
        await server.close();
        await core.stop();
      })();
      return stopping;
    },
  };
}
