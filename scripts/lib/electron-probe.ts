/**
 * Decides whether `npm start` can open the desktop app. The `electron` npm package downloads its binary
 * lazily, and on machines without GitHub access (CI, servers) it never arrives; requiring the package
 * then tries the download and throws. So the probe never loads the package: it resolves it, reads
 * `path.txt`, and runs the binary with `--version` under a time limit.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The answer: a runnable Electron binary, or the reason there is none (shown to the user). */
export type ElectronProbe = { ok: true; binary: string; version: string } | { ok: false; reason: string };

/** Inputs of {@link probeElectron}; injected so tests can point it at a scratch project. */
export interface ElectronProbeOptions {
  /** Project root whose node_modules is searched. */
  root: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** How long `electron --version` may take; 5 s by default. */
  timeoutMs?: number;
}

function runVersion(binary: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ ok: boolean; detail: string }> {
  return new Promise((resolve) => {
    const childEnv = { ...env };
    // With ELECTRON_RUN_AS_NODE set the binary behaves as plain Node and proves nothing about Electron.
    delete childEnv.ELECTRON_RUN_AS_NODE;
    const child = spawn(binary, ['--version'], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ ok: false, detail: `\`electron --version\` did not answer within ${timeoutMs} ms` });
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, detail: `the Electron binary does not start (${error.message})` });
    });
    // 'close', not 'exit': only then has all of stdout been read.
    child.on('close', (code) => {
      clearTimeout(timer);
      const text = output.trim().split('\n')[0] ?? '';
      if (code === 0) resolve({ ok: true, detail: text });
      else resolve({ ok: false, detail: `\`electron --version\` exited with code ${code}${text ? `: ${text}` : ''}` });
    });
  });
}

/** Finds out whether the Electron binary exists, runs, and has a display to draw on. */
export async function probeElectron(options: ElectronProbeOptions): Promise<ElectronProbe> {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(join(options.root, 'package.json')).resolve('electron'));
  } catch {
    return { ok: false, reason: 'the electron package is not installed; run npm ci' };
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      ok: false,
      reason: 'its binary was never downloaded: node_modules/electron/path.txt is missing; run `npx install-electron` with access to GitHub',
    };
  }
  const relative = readFileSync(pathFile, 'utf8').trim();
  const override = options.env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override ? join(override, relative) : join(packageDir, 'dist', relative);
  if (!existsSync(binary)) return { ok: false, reason: `the Electron binary ${binary} is missing` };
  const version = await runVersion(binary, options.env, options.timeoutMs ?? 5_000);
  if (!version.ok) return { ok: false, reason: version.detail };
  if (options.platform === 'linux' && !options.env.DISPLAY && !options.env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'no display: DISPLAY and WAYLAND_DISPLAY are unset' };
  }
  return { ok: true, binary, version: version.detail };
}
