import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// electron-builder's own loader and schema validator: the same code `electron-builder` runs before it
// packages, so a typo in electron-builder.yml fails here instead of on a release machine.
const root = join(import.meta.dirname, '..', '..', '..');
const require = createRequire(join(root, 'package.json'));

interface BuilderConfig {
  appId?: string;
  productName?: string;
  asar?: boolean;
  npmRebuild?: boolean;
  files?: Array<{ filter?: string[] }>;
  asarUnpack?: string[];
  extraResources?: Array<{ from: string; to: string }>;
  electronFuses?: Record<string, boolean>;
  linux?: { target?: string[] };
  mac?: {
    target?: Array<{ target: string; arch: string[] }>;
    hardenedRuntime?: boolean;
    notarize?: boolean;
    entitlements?: string;
    entitlementsInherit?: string;
  };
  publish?: { provider: string; releaseType?: string };
  win?: { target?: string[] };
  [key: string]: unknown;
}
const builder = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<BuilderConfig>;
  validateConfiguration(config: BuilderConfig, debugLogger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const scheme = require('app-builder-lib/scheme.json') as {
  definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
};

const load = () => builder.getConfig(root, join(root, 'electron-builder.yml'), null);

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema validation", async () => {
    await expect(builder.validateConfiguration(await load(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('is actually validated: an unknown key is rejected', async () => {
    const broken = { ...(await load()), electronFuses: { ...(await load()).electronFuses, noSuchFuse: true } };
    await expect(builder.validateConfiguration(broken, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });

  it('names the app and packs out/ into an asar with native modules unpacked', async () => {
    const config = await load();
    expect(config).toMatchObject({ appId: 'dev.reins.app', productName: 'Reins', asar: true, npmRebuild: true });
    expect(config.files?.flatMap((set) => set.filter ?? [])).toContain('out/**');
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['**/*.node', '**/node_modules/better-sqlite3/**', '**/node_modules/node-pty/**', '**/node_modules/@napi-rs/keyring*/**']),
    );
  });

  it('builds AppImage and deb on Linux, dmg and zip for both Mac architectures, nsis on Windows', async () => {
    const config = await load();
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual([
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'zip', arch: ['x64', 'arm64'] },
    ]);
    expect(config.win?.target).toEqual(['nsis']);
  });

  it('signs Mac builds with the hardened runtime and notarises them, with credentials only from the environment', async () => {
    const config = await load();
    expect(config.mac).toMatchObject({ hardenedRuntime: true, notarize: true });
    const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    expect(yml).not.toMatch(/appleId|appleIdPassword|teamId:/);
    const entitlements = readFileSync(join(root, config.mac!.entitlements!), 'utf8');
    expect(config.mac?.entitlementsInherit).toBe(config.mac?.entitlements);
    // The only exceptions are the two V8 needs; no sandbox escape hatches like disable-library-validation.
    expect([...entitlements.matchAll(/<key>([^<]+)<\/key>/g)].map((match) => match[1])).toEqual([
      'com.apple.security.cs.allow-jit',
      'com.apple.security.cs.allow-unsigned-executable-memory',
    ]);
  });

  it('publishes to a draft GitHub release', async () => {
    expect((await load()).publish).toEqual({ provider: 'github', releaseType: 'draft' });
  });

  it('decides every Electron fuse explicitly, with the hardening ones set', async () => {
    const fuses = (await load()).electronFuses ?? {};
    expect(Object.keys(fuses).sort()).toEqual(Object.keys(scheme.definitions.FuseOptionsV1.properties).sort());
    expect(fuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('ships the tray icons as resources, from a folder that exists', async () => {
    const config = await load();
    const tray = config.extraResources?.find((resource) => resource.to === 'tray');
    expect(tray?.from).toBe('assets/tray');
    expect(existsSync(join(root, 'assets', 'tray', 'idle.png'))).toBe(true);
    expect(existsSync(join(root, 'assets', 'icon.png'))).toBe(true);
  });
});
