/**
 * Runs after every test file: whatever a test started (agents, daemons, fake CLIs) must be gone
 * once the file's own cleanup ran. Child processes of this worker still alive after a short grace
 * period fail the file, naming them.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, expect } from 'vitest';

function childrenOf(pid: number): string[] {
  try {
    return (
      execFileSync('ps', ['-o', 'pid=,stat=,args=', '--ppid', String(pid)], { encoding: 'utf8' })
        .split('\n')
        .map((l) => l.trim())
        // Zombies are already dead (waiting to be reaped); `ps` itself is ours right now.
        .filter((l) => l && !/^\d+\s+Z/.test(l) && !/\bps -o pid=/.test(l))
    );
  } catch {
    return []; // `ps` exits 1 when there are none
  }
}

afterAll(async () => {
  let left = childrenOf(process.pid);
  for (let i = 0; i < 50 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = childrenOf(process.pid);
  }
  expect(left, 'child processes left running after this test file').toEqual([]);
});
