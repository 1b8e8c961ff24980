/**
 * Ending an agent with everything it started. An agent's own process group is not enough: Claude's
 * Bash tool runs each command in a new session (`setsid`), so `kill -- -<pgid>` leaves a 40 s
 * command running after its agent is gone. The tree is found from a snapshot of every process
 * (`ps -A -o pid= -o ppid= -o pgid=`, POSIX): the agent, its descendants by parent id, and every
 * member of any process group one of them leads or belongs to (which keeps a `nohup cmd &` that
 * was re-parented to init). Then all are killed at once, in up to three rounds for processes forked
 * while the first round ran. A process that double-forks into a new session of its own before the
 * snapshot escapes; only an OS sandbox (cgroups, a job object) closes that gap (docs/SECURITY.md).
 *
 * Written in POSIX sh + awk, not Node: the same text runs in the watcher that outlives a killed core
 * (lifeline.ts), which must start in a millisecond next to every agent and needs no runtime.
 */
import { spawnSync } from 'node:child_process';

/** `kill_tree ROOT [SELF]`: kills ROOT's tree; SELF (the caller) is spared. */
export const KILL_TREE_SH = `
kill_tree() {
  for round in 1 2 3; do
    victims=$(ps -A -o pid= -o ppid= -o pgid= 2>/dev/null | awk -v root="$1" -v self="$2" '
      { pid[NR] = $1; ppid[NR] = $2; pg[NR] = $3 }
      END {
        for (i = 1; i <= NR; i++) if (pid[i] == root) { tree[root] = 1; group[pg[i]] = 1 }
        if (!(root in tree)) exit
        grown = 1
        while (grown) {
          grown = 0
          for (i = 1; i <= NR; i++) if (!(pid[i] in tree) && ((ppid[i] in tree) || (pg[i] in group))) { tree[pid[i]] = 1; group[pg[i]] = 1; grown = 1 }
        }
        for (p in tree) if (p != self) printf "%s ", p
      }')
    [ -n "$victims" ] || return 0
    kill -9 $victims 2>/dev/null
  done
}
`;

/**
 * `kill_session SID [SELF]`: kills every process of session SID (Linux `ps -o sid`; elsewhere nothing).
 * Everything started in a terminal shares its session, including jobs whose parent already exited.
 */
export const KILL_SESSION_SH = `
kill_session() {
  victims=$(ps -A -o pid= -o sid= 2>/dev/null | awk -v sid="$1" -v self="$2" '$2 == sid && $1 != self { printf "%s ", $1 }')
  [ -n "$victims" ] && kill -9 $victims 2>/dev/null
  return 0
}
`;

/** Kills every process left in session `sid` (a terminal's), synchronously; the tree of `sid` elsewhere. */
export function killSession(sid: number): void {
  if (process.platform === 'win32') return killProcessTree(sid);
  spawnSync('/bin/sh', ['-c', `${KILL_TREE_SH}${KILL_SESSION_SH}\nkill_tree "$1" "$$"; kill_session "$1" "$$"`, 'reins-kill-session', String(sid)], {
    stdio: 'ignore',
    timeout: 10_000,
  });
}

/**
 * Kills `pid` and its whole tree now (see above), synchronously. Used when a core starts and finds
 * an agent a crashed core left running. POSIX only; on Windows the process itself is killed.
 */
export function killProcessTree(pid: number): void {
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/F', '/T', '/PID', String(pid)], { stdio: 'ignore', windowsHide: true });
    return;
  }
  // "$$" spares the killing shell itself, which may sit in the tree (the Node watcher's group).
  spawnSync('/bin/sh', ['-c', `${KILL_TREE_SH}\nkill_tree "$1" "$$"`, 'reins-kill-tree', String(pid)], { stdio: 'ignore', timeout: 10_000 });
}
