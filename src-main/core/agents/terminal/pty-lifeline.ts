/**
 * Starting a program in a pseudo-terminal so that it cannot outlive its core. A PTY cannot carry the
 * lifeline pipe the other agents get (node-pty passes no extra descriptors), so the program starts
 * under `/bin/sh`, which starts a watcher that polls the core's pid once a second and then `exec`s the
 * program (same pid). When the core is gone the watcher kills the program's whole tree and every process
 * of its session (kill-tree.ts), including `nohup` jobs the hang-up of the closed terminal would not
 * reach. The core ends a terminal the same way itself, and cleans the session up after the program exits.
 */
import { spawn as ptySpawn, type IPty } from 'node-pty';
import { KILL_SESSION_SH, KILL_TREE_SH } from '../process/kill-tree.ts';

/** $1 is the core's pid, $2 the program's pid (the launching shell's, which the program keeps). */
const PTY_WATCHER_SH = `${KILL_TREE_SH}${KILL_SESSION_SH}
trap '' HUP INT QUIT TERM PIPE
while kill -0 "$1" 2>/dev/null; do sleep 1; done
kill_tree "$2" "$$"
kill_session "$2" "$$"
`;

/** Starts the watcher in the background, then becomes the program. */
const PTY_LAUNCHER_SH = `watcher=$1
core=$2
shift 2
/bin/sh -c "$watcher" reins-pty-watcher "$core" "$$" </dev/null >/dev/null 2>&1 &
exec "$@"
`;

export interface PtyOptions {
  cwd: string;
  env: Record<string, string>;
  cols: number;
  rows: number;
}

/** Spawns `file args` in a PTY under the watcher (POSIX; on Windows node-pty's ConPTY runs it directly). */
export function spawnPtyWithLifeline(file: string, args: readonly string[], opts: PtyOptions): IPty {
  const common = { name: 'xterm-256color', cols: opts.cols, rows: opts.rows, cwd: opts.cwd, env: opts.env };
  if (process.platform === 'win32') return ptySpawn(file, [...args], common);
  return ptySpawn('/bin/sh', ['-c', PTY_LAUNCHER_SH, 'reins-pty', PTY_WATCHER_SH, String(process.pid), file, ...args], common);
}
