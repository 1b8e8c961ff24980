/**
 * The audit seal in the real OS keychain (CI: a throwaway unlocked gnome-keyring, REQUIRE_KEYRING=1):
 * a core's key and head land there, `reins audit verify` finds them with the same keychain service,
 * and a cut tail is caught against the keychain's head. Elsewhere the store falls back to the file.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { auditSecretNames } from '../../src-main/core/audit/index.ts';
import { parseConfig } from '../../src-main/core/index.ts';
import { openSecretStore } from '../../src-main/core/secrets/index.ts';
import { openDatabase } from '../../src-main/core/store/index.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const CLI = fileURLToPath(new URL('../../src-main/cli/main.ts', import.meta.url));
const exec = promisify(execFile);
const requireKeyring = process.env.REQUIRE_KEYRING === '1';
const service = `reins-audit-test-${randomBytes(4).toString('hex')}`;

let dir: ReturnType<typeof tempDir> | undefined;
afterEach(async () => {
  if (dir) {
    const home = join(dir.path, 'home');
    const store = await openSecretStore({ dataDir: home, service, warn: () => undefined });
    const names = auditSecretNames(home);
    await store.delete(names.key);
    await store.delete(names.head);
    dir.remove();
  }
  dir = undefined;
});

async function verify(home: string): Promise<{ code: number; out: string }> {
  // This test's own keychain service, and the keychain rather than the file the other tests use.
  const env = { ...process.env, REINS_KEYCHAIN_SERVICE: service, REINS_SECRET_STORE: '' };
  try {
    return { code: 0, out: (await exec(process.execPath, [CLI, 'audit', 'verify', '--home', home], { env })).stdout };
  } catch (e) {
    const x = e as { code: number; stdout: string };
    return { code: x.code, out: x.stdout };
  }
}

describe('the audit seal in the OS keychain', () => {
  it('is written by the core and read by reins audit verify; a cut tail is caught', async () => {
    dir = tempDir('reins-audit-kc-');
    const home = join(dir.path, 'home');
    const env = {
      PATH: process.env.PATH ?? '',
      REINS_KEYCHAIN_SERVICE: service,
      ...(process.env.DBUS_SESSION_BUS_ADDRESS ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS } : {}),
    };
    const daemon = await startDaemon({ home, config: parseConfig({ port: 0 }), env, telegram: false });
    for (let i = 0; i < 20; i++) daemon.core.audit.append({ type: 'test.entry', actor: 'test', surface: 'api', detail: { i } });
    await daemon.stop();
    const store = await openSecretStore({ dataDir: home, service, warn: () => undefined });
    if (requireKeyring) expect(store.backend).toBe('keychain');
    expect(await store.get(auditSecretNames(home).key)).not.toBeNull();

    const intact = await verify(home);
    expect(intact.code, intact.out).toBe(0);
    expect(intact.out).toMatch(requireKeyring ? /sealed with the key in the OS keychain/ : /sealed with the key in/);

    const db = openDatabase(join(home, 'reins.db'));
    db.prepare('DELETE FROM audit WHERE seq > 10').run();
    db.close();
    const cut = await verify(home);
    expect(cut.code).toBe(1);
    expect(cut.out).toMatch(/\(truncated\)/);
  });
});
