import { homedir, platform } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The data directory: `--home`, else `REINS_HOME`, else the OS convention
 * (Linux `$XDG_DATA_HOME/reins` or `~/.local/share/reins`; macOS `~/Library/Application Support/Reins`;
 * Windows `%APPDATA%\Reins`).
 */
export function resolveHome(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return resolve(flag);
  if (env.REINS_HOME) return resolve(env.REINS_HOME);
  const home = env.HOME ?? homedir();
  switch (platform()) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'Reins');
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Reins');
    default:
      return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'reins');
  }
}

/** Files inside a data directory. */
export function homePaths(home: string) {
  return {
    home,
    db: join(home, 'reins.db'),
    config: join(home, 'config.json'),
    lock: join(home, 'reins.lock'),
    runtime: join(home, 'runtime.json'),
    attachments: join(home, 'attachments'),
    log: join(home, 'logs', 'reins.log'),
    /** Files Reins writes for an agent it starts (settings overlays), one folder per agent id. */
    agents: join(home, 'agents'),
  };
}
