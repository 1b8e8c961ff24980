/**
 * Webhooks in a real core (real SQLite, a real 0600 secrets file, the scripted agent): where each
 * webhook's secret comes from, what config.json leaves to config.json, and refusals audited without
 * flooding the log.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConflictError, createCore, parseConfig, type Core } from '../../../src-main/core/index.ts';
import { createFileSecretStore } from '../../../src-main/core/secrets/index.ts';
import { createScriptedRunner, scriptedDescriptor } from '../../fakes/scripted-runner.ts';
import { sleepyClock } from '../../helpers/sleepy-clock.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

const owner = { by: 'owner', surface: 'cli' as const };
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

function start(): { core: Core; project: string; t: ReturnType<typeof sleepyClock> } {
  const dir = tempDir('reins-webhooks-');
  const project = join(dir.path, 'project');
  mkdirSync(project);
  const { runner } = createScriptedRunner();
  const t = sleepyClock(Date.parse('2026-06-01T12:00:00Z'));
  const config = parseConfig({
    port: 0,
    webhooks: {
      deploy: { project, agent: 'scripted', promptTemplate: 'Deploy {{version}}' },
      release: { project, agent: 'scripted', promptTemplate: 'Release {{tag}}', secretEnv: 'REINS_WEBHOOK_RELEASE' },
    },
  });
  const core = createCore({
    home: join(dir.path, 'home'),
    config,
    env: { REINS_WEBHOOK_RELEASE: 'release-secret' },
    agents: [scriptedDescriptor(runner)],
    clock: t.clock,
    timers: t.timers,
    secrets: createFileSecretStore(join(dir.path, 'secrets')),
  });
  cleanup = async () => {
    await core.stop();
    dir.remove();
  };
  return { core, project, t };
}

const signed = (secret: string, body: string, timestamp: number) => ({
  timestamp: String(timestamp),
  signature: `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`,
  body: Buffer.from(body),
});

describe('webhooks', () => {
  it('a config webhook takes its secret from its REINS_ variable, or from the keychain once rotated; config ones stay in config.json', async () => {
    const { core, t } = start();
    const now = Math.floor(t.clock.now() / 1000);
    expect(core.webhooks.list().map((w) => [w.name, w.source, w.secretFrom])).toEqual([
      ['deploy', 'config', 'store'],
      ['release', 'config', 'env'],
    ]);
    await expect(core.webhooks.deliver('release', signed('release-secret', '{"tag":"v1"}', now))).resolves.toMatchObject({ sessionId: expect.any(String) });

    // No secret yet: refused, whatever the signature.
    await expect(core.webhooks.deliver('deploy', signed('guess', '{"version":"1"}', now))).rejects.toMatchObject({ code: 'unauthorized', reason: 'no_secret' });
    const { secret } = await core.webhooks.rotate('deploy', owner);
    await expect(core.webhooks.deliver('deploy', signed(secret, '{"version":"1.2"}', now))).resolves.toMatchObject({ sessionId: expect.any(String) });
    const { secret: next } = await core.webhooks.rotate('deploy', owner);
    await expect(core.webhooks.deliver('deploy', signed(secret, '{"version":"1.3"}', now))).rejects.toMatchObject({ reason: 'bad_signature' });
    await expect(core.webhooks.deliver('deploy', signed(next, '{"version":"1.3"}', now))).resolves.toBeDefined();

    await expect(core.webhooks.rotate('release', owner)).rejects.toThrow('Webhook "release" takes its secret from REINS_WEBHOOK_RELEASE; change it there.');
    await expect(core.webhooks.remove('deploy', owner)).rejects.toThrow(ConflictError);
    await expect(core.webhooks.remove('deploy', owner)).rejects.toThrow('Webhook "deploy" is defined in config.json; edit it there.');
    expect(core.sessions.list().map((s) => s.title)).toEqual(expect.arrayContaining(['webhook deploy', 'webhook release']));
  });

  it('a flood of refusals is audited once a second with the count folded in, never with the secret', async () => {
    const { core, t } = start();
    const now = Math.floor(t.clock.now() / 1000);
    for (let i = 0; i < 5; i++)
      await expect(core.webhooks.deliver('release', signed('wrong', `{"n":${i}}`, now))).rejects.toMatchObject({ code: 'unauthorized' });
    await t.advance(1000);
    await expect(core.webhooks.deliver('release', signed('wrong', '{}', now))).rejects.toMatchObject({ code: 'unauthorized' });
    const refused = core.audit.recent(20).filter((a) => a.type === 'webhook.refused');
    expect(refused.map((a) => a.detail)).toEqual([
      { reason: 'bad_signature', alsoRefused: 4 },
      { reason: 'bad_signature', alsoRefused: 0 },
    ]);
    expect(JSON.stringify(core.audit.recent(50))).not.toContain('release-secret');
  });
});
