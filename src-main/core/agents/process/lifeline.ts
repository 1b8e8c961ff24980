/**
 * Spawning an agent so that it cannot outlive its core. The agent starts under `/bin/sh`, which
 * first starts a watcher and then `exec`s the agent (same pid, so the agent is its own process
 * group leader). The watcher's standard input is a pipe whose other end only the core holds: when
 * the core exits for any reason (`kill -9` included) the kernel closes that end, the watcher reads
 * end-of-file and kills the agent's whole tree (kill-tree.ts). The core closes the pipe itself to
 * end an agent by force, and after an agent exits, so that nothing it started in the background
 * lingers. No shell ever sees the agent's arguments: they are passed as positional parameters.
 * On Windows there is no /bin/sh: the same watcher runs as a Node program (node-watcher.ts) that
 * starts the agent as its child and kills its tree with `taskkill /T /F` when the lifeline closes.
 */
import type { ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KILL_TREE_SH } from './kill-tree.ts';

/** node-watcher.ts next to this module (node-watcher.js once built into out/). */
const NODE_WATCHER = fileURLToPath(new URL(`./node-watcher${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** Spawn function shape (node:child_process `spawn`), injected for tests. */
export type SpawnFn = typeof import('node:child_process').spawn;

/**
 * The watcher: ignores signals meant for the agent's group, waits for end-of-file on its stdin (the
 * core never writes to it), then kills the tree of the agent ($1), sparing itself.
 */
const WATCHER_SH = `${KILL_TREE_SH}
trap '' HUP INT QUIT TERM PIPE
while read -r _; do :; done
kill_tree "$1" "$$"
`;

/**
 * The launcher: $1 is the watcher's script, the rest the agent's command line. fd 3 is the lifeline:
 * it goes to the watcher as its stdin and is closed before the agent starts.
 */
const LAUNCHER_SH = `watcher=$1
shift
/bin/sh -c "$watcher" reins-watcher "$$" <&3 >/dev/null 2>&1 &
exec 3<&-
exec "$@"
`;

/** How long the watcher gets to kill the tree before the core kills the agent's group itself. */
const WATCHER_GRACE_MS = 1500;

/** An agent process and the core's end of its lifeline. */
export interface LifelineChild {
  child: ChildProcess;
  /** The agent's process group (its own pid), or null where groups do not apply. */
  pgid: number | null;
  /** Ends the agent's whole tree now (the watcher does it); safe to call twice. */
  cut(): void;
}

export interface LifelineSpawnOptions {
  cwd: string;
  env: Record<string, string>;
  spawn: SpawnFn;
  /** Which watcher: `sh` (POSIX default, starts in a millisecond) or `node` (Windows default). */
  watcher?: 'sh' | 'node';
}

/** Spawns `bin args` tied to this process's life. Throws like `spawn` on invalid arguments. */
export function spawnWithLifeline(bin: string, args: readonly string[], opts: LifelineSpawnOptions): LifelineChild {
  const child =
    (opts.watcher ?? (process.platform === 'win32' ? 'node' : 'sh')) === 'node'
      ? opts.spawn(process.execPath, [NODE_WATCHER, bin, ...args], {
          cwd: opts.cwd,
          // Inside Electron, process.execPath is the app: this makes it run the script as plain Node.
          env: { ...opts.env, ELECTRON_RUN_AS_NODE: '1' },
          stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
          shell: false,
          windowsHide: true,
          detached: process.platform !== 'win32',
        })
      : opts.spawn('/bin/sh', ['-c', LAUNCHER_SH, 'reins-agent', WATCHER_SH, bin, ...args], {
          cwd: opts.cwd,
          env: opts.env,
          stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
          shell: false,
          // Its own process group and session: signals to the core's terminal do not reach it, and the
          // group id names the agent's tree.
          detached: true,
        });
  const lifeline = (child.stdio?.[3] ?? null) as Socket | null;
  // The lifeline must not keep the core's event loop alive, and a watcher that died first must not
  // raise an unhandled EPIPE.
  lifeline?.unref();
  lifeline?.on('error', () => undefined);
  let cut = false;
  return {
    child,
    pgid: process.platform === 'win32' ? null : (child.pid ?? null),
    cut() {
      if (cut) return;
      cut = true;
      lifeline?.destroy();
      // Belt and braces: if the watcher is gone (the agent killed it), the group still dies. Not at
      // once: the watcher sits in the agent's group, and killing the group first would stop it
      // before it killed the commands the agent started in sessions of their own.
      const pid = child.pid;
      if (pid === undefined || process.platform === 'win32') return;
      setTimeout(() => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }, WATCHER_GRACE_MS).unref();
    },
  };
}
