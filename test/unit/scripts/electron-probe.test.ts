import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { probeElectron } from '../../../scripts/lib/electron-probe.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

// A scratch project with a stand-in `electron` package whose binary is a shell script we control.
let dir: { path: string; remove(): void };
let packageDir: string;

function installElectron(binaryScript: string | null): void {
  mkdirSync(join(packageDir, 'dist'), { recursive: true });
  writeFileSync(join(packageDir, 'package.json'), JSON.stringify({ name: 'electron', version: '45.4.1', main: 'index.js' }));
  // Would try a download if loaded; the probe must never load it.
  writeFileSync(join(packageDir, 'index.js'), 'throw new Error("the probe loaded the electron package");\n');
  if (binaryScript === null) return;
  writeFileSync(join(packageDir, 'path.txt'), 'electron');
  writeFileSync(join(packageDir, 'dist', 'electron'), `#!/bin/sh\n${binaryScript}\n`);
  chmodSync(join(packageDir, 'dist', 'electron'), 0o755);
}

const display = { DISPLAY: ':99' };

beforeEach(() => {
  dir = tempDir('reins-probe-');
  writeFileSync(join(dir.path, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
  packageDir = join(dir.path, 'node_modules', 'electron');
});
afterEach(() => dir.remove());

describe('probeElectron', () => {
  it('reports a missing electron package', async () => {
    const probe = await probeElectron({ root: dir.path, env: display, platform: 'linux' });
    expect(probe).toEqual({ ok: false, reason: 'the electron package is not installed; run npm ci' });
  });

  it('reports a binary that was never downloaded, without loading the package', async () => {
    installElectron(null);
    const probe = await probeElectron({ root: dir.path, env: display, platform: 'linux' });
    expect(probe.ok).toBe(false);
    expect(!probe.ok && probe.reason).toContain('path.txt is missing');
  });

  it('reports a path.txt that points at nothing', async () => {
    installElectron('echo v45.4.1');
    rmSync(join(packageDir, 'dist', 'electron'));
    const probe = await probeElectron({ root: dir.path, env: display, platform: 'linux' });
    expect(!probe.ok && probe.reason).toMatch(/the Electron binary .*dist\/electron is missing/);
  });

  it('reports a binary that fails', async () => {
    installElectron('echo "error while loading shared libraries: libnss3.so" >&2; exit 127');
    const probe = await probeElectron({ root: dir.path, env: display, platform: 'linux' });
    expect(!probe.ok && probe.reason).toBe('`electron --version` exited with code 127: error while loading shared libraries: libnss3.so');
  });

  it('gives up on a binary that does not answer within the limit', async () => {
    installElectron('exec sleep 5');
    const probe = await probeElectron({ root: dir.path, env: display, platform: 'linux', timeoutMs: 200 });
    expect(!probe.ok && probe.reason).toBe('`electron --version` did not answer within 200 ms');
  });

  it('needs a display on Linux', async () => {
    installElectron('echo v45.4.1');
    const probe = await probeElectron({ root: dir.path, env: {}, platform: 'linux' });
    expect(probe).toEqual({ ok: false, reason: 'no display: DISPLAY and WAYLAND_DISPLAY are unset' });
  });

  it('accepts a binary that runs, with ELECTRON_RUN_AS_NODE removed from its environment', async () => {
    installElectron('[ -z "$ELECTRON_RUN_AS_NODE" ] || exit 3; echo v45.4.1');
    const probe = await probeElectron({ root: dir.path, env: { ...display, ELECTRON_RUN_AS_NODE: '1' }, platform: 'linux' });
    expect(probe).toEqual({ ok: true, binary: join(packageDir, 'dist', 'electron'), version: 'v45.4.1' });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does', async () => {
    installElectron('exit 1');
    const override = join(dir.path, 'custom-dist');
    mkdirSync(override);
    writeFileSync(join(override, 'electron'), '#!/bin/sh\necho v45.9.9\n');
    chmodSync(join(override, 'electron'), 0o755);
    const probe = await probeElectron({ root: dir.path, env: { ...display, ELECTRON_OVERRIDE_DIST_PATH: override }, platform: 'linux' });
    expect(probe).toEqual({ ok: true, binary: join(override, 'electron'), version: 'v45.9.9' });
  });
});
