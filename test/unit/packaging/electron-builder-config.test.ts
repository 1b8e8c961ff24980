import { existsSync } from 'node:fs';
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
  mac?: { target?: string[] };
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
    expect(config.asarUnpack).toContain('**/*.node');
  });

  it('builds AppImage and deb on Linux, dmg on macOS, nsis on Windows', async () => {
    const config = await load();
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.win?.target).toEqual(['nsis']);
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
