/**
 * The lifeline watcher as a Node program, for Windows (no /bin/sh there): run as
 * `node node-watcher.ts BIN ARGS…` with the lifeline on fd 3. It starts the agent on its own stdin,
 * stdout and stderr, passes on its exit code, and when the lifeline closes (the core died or cut it)
 * kills the agent's whole tree: `taskkill /T /F` on Windows, kill-tree.ts elsewhere. Nothing in it
 * interprets the agent's arguments.
 */
import { spawn } from 'node:child_process';
import { Socket } from 'node:net';
import { killProcessTree } from './kill-tree.ts';

const [bin, ...args] = process.argv.slice(2);
if (bin === undefined) {
  process.stderr.write('node-watcher: no agent command given\n');
  process.exit(2);
}
// Set only so that an Electron binary would run this script as Node; the agent must not inherit it.
const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const agent = spawn(bin, args, { stdio: 'inherit', env, shell: false, windowsHide: true });
agent.on('error', (err) => {
  process.stderr.write(`node-watcher: could not start ${bin}: ${err.message}\n`);
  process.exit(127);
});
agent.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 128 : 1);
  lifeline.destroy();
});

let killed = false;
const endTree = (): void => {
  if (killed) return;
  killed = true;
  if (agent.pid !== undefined && agent.exitCode === null) killProcessTree(agent.pid);
  process.exit(process.exitCode ?? 1);
};
const lifeline = new Socket({ fd: 3, readable: true, writable: false });
lifeline.on('end', endTree);
lifeline.on('close', endTree);
lifeline.on('error', endTree);
lifeline.resume();
