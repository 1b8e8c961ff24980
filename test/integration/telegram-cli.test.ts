/**
 * `reins telegram setup|pair|status` run as a user would (the `reins` executable in a child
 * process) against a running daemon and the fake Bot API. The keychain service name is unique
 * per run, so a developer's own Reins secrets are never touched.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src-main/core/index.ts';
import { openSecretStore, type SecretStore } from '../../src-main/core/secrets/index.ts';
import { BOT_TOKEN_SECRET, CALLBACK_KEY_SECRET } from '../../src-main/surfaces/telegram/index.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { startFakeBotApi, type FakeBotApi } from '../fakes/bot-api/index.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';
import { FAST_TUNING } from './telegram-harness.ts';

const root = resolve(import.meta.dirname, '..', '..');
const service = `reins-test-${randomBytes(6).toString('hex')}`;
let fake: FakeBotApi | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
let daemon: Awaited<ReturnType<typeof startDaemon>> | undefined;
let store: SecretStore | undefined;

afterEach(async () => {
  await daemon?.stop();
  await store?.delete(BOT_TOKEN_SECRET);
  await store?.delete(CALLBACK_KEY_SECRET);
  await fake?.close();
  dir?.remove();
  daemon = undefined;
  store = undefined;
  fake = undefined;
  dir = undefined;
});

const cliEnv = (home: string) => ({
  PATH: process.env.PATH ?? '',
  HOME: home,
  REINS_HOME: home,
  REINS_TELEGRAM_API_ROOT: fake!.url,
  REINS_KEYCHAIN_SERVICE: service,
  ...(process.env.DBUS_SESSION_BUS_ADDRESS ? { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS } : {}),
});
/** Runs `reins …` without blocking this process (which also serves the fake Bot API). */
function reins(home: string, args: string[], input = ''): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'reins.js'), ...args], { cwd: root, env: cliEnv(home) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += String(d)));
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  child.stdin.end(input);
  const timer = setTimeout(() => child.kill(), 25_000);
  return new Promise((resolve) =>
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    }),
  );
}

async function setupHome() {
  fake = await startFakeBotApi();
  dir = tempDir('reins-tgcli-');
  const home = join(dir.path, 'home');
  store = await openSecretStore({ dataDir: home, service, warn: () => undefined });
  return home;
}

describe('reins telegram', () => {
  it('setup checks the token with getMe, then stores it; bad tokens are refused with a hint', async () => {
    const home = await setupHome();
    const bad = await reins(home, ['telegram', 'setup'], 'not-a-token\n');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('not a Telegram bot token');
    const wrong = await reins(home, ['telegram', 'setup'], '7000000001:AAWrongSecretWrongSecretWrongSecret123\n');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('Telegram rejected this token');
    expect(await store!.get(BOT_TOKEN_SECRET)).toBeNull();

    const ok = await reins(home, ['telegram', 'setup'], `${fake!.token}\n`);
    expect(ok.stderr.replace(/The OS keychain is unavailable[^\n]*\n/, '')).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('✓ Bot @reins_test_bot (id 7000000001) answers.');
    expect(ok.stdout).toContain('reins telegram pair');
    expect(await store!.get(BOT_TOKEN_SECRET)).toBe(fake!.token);
    expect(fake!.calls('getMe').length).toBe(2);
  });

  it('pair prints the link and a QR code, waits for the phone; status shows the owner', { timeout: 40_000 }, async () => {
    const home = await setupHome();
    await store!.set(BOT_TOKEN_SECRET, fake!.token);
    const config = parseConfig({ port: 0, telegram: { apiRoot: fake!.url } });
    daemon = await startDaemon({ home, config, env: {}, telegram: { secrets: store!, tuning: FAST_TUNING } });
    await waitFor(() => daemon!.telegram?.status().state === 'waiting_for_owner', 'the bridge waiting for an owner');
    const owner = fake!.addUser({ first_name: 'Olivia' });

    const child = spawn(process.execPath, [join(root, 'bin', 'reins.js'), 'telegram', 'pair'], { cwd: root, env: cliEnv(home) });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += String(d)));
    child.stderr.on('data', (d: Buffer) => (out += String(d)));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    const code = await waitFor(() => /start=([A-Za-z0-9_-]{24})/.exec(out)?.[1], 'the link on stdout');
    expect(out).toContain(`https://t.me/reins_test_bot?start=${code}`);
    expect(out).toContain('valid for 10 minutes');
    await waitFor(() => out.includes('Waiting for you'), 'the CLI waiting');
    expect(out).toMatch(/[▀▄█]{10}/);
    fake!.userSends(owner, owner.id, `/start ${code}`);
    expect(await exited).toBe(0);
    expect(out).toContain(`✓ Paired: Telegram user ${owner.id} now holds the reins.`);

    const status = await reins(home, ['telegram', 'status']);
    expect(status.status).toBe(0);
    expect(status.stdout).toContain('State:    running');
    expect(status.stdout).toContain(`Owner:    ${owner.id} (pairing)`);
    expect(status.stdout).toContain('Bot:      @reins_test_bot');
  });

  it('pair without a running core says how to start one', async () => {
    const home = await setupHome();
    const r = await reins(home, ['telegram', 'pair']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('reins daemon');
  });
});
