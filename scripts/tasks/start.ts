/**
 * `npm start`: the desktop app when Electron can run here, otherwise the headless daemon in the
 * foreground (same core, same API, the window in a browser through the login URL it prints). Extra
 * arguments go to whichever starts.
 */
import { join } from 'node:path';
import { probeElectron } from '../lib/electron-probe.ts';
import { projectRoot, runForeground, say } from '../lib/proc.ts';
import { ensureRendererBuilt } from '../lib/renderer-build.ts';

/** Starts the desktop app or, failing that, `reins daemon`. */
export async function main(args: readonly string[]): Promise<number> {
  const probe = await probeElectron({ root: projectRoot, env: process.env, platform: process.platform });
  if (!probe.ok) {
    say(`Electron is not available here (${probe.reason}): starting the headless daemon instead`);
    // The daemon serves the window at its login URL: build it first when it is missing or stale
    // (not for --help, which only prints the usage).
    if (!args.includes('--help') && !args.includes('-h')) {
      const built = await ensureRendererBuilt(projectRoot, runForeground, say);
      if (built !== 0) return built;
    }
    return runForeground(process.execPath, [join(projectRoot, 'src-main', 'cli', 'main.ts'), 'daemon', ...args]);
  }
  say(`building, then starting the desktop app (Electron ${probe.version})`);
  const built = await runForeground(process.execPath, [join(projectRoot, 'scripts', 'build.mjs')]);
  if (built !== 0) return built;
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return runForeground(probe.binary, [projectRoot, ...args], { env });
}
