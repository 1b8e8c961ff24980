/**
 * What a real spawned agent sees: the daemon's environment minus every REINS_* variable (bot token,
 * owner id, home), whatever the daemon was started with. The real `claude` writes its environment
 * to a file through its Bash tool.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src-main/contract/index.ts';
import { parseConfig } from '../../src-main/core/index.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/index.ts';
import { apiClient } from '../helpers/api-client.ts';
import { claudeBin, claudeChildEnv } from '../helpers/claude-env.ts';
import { tempDir } from '../helpers/temp-dir.ts';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe("the agent's environment", () => {
  it('holds no REINS_* variable, while the agent still gets its configured extras', async () => {
    const dir = tempDir('reins-env-');
    const project = join(dir.path, 'project');
    mkdirSync(project);
    mkdirSync(join(dir.path, 'agent-home'));
    const fake: FakeAnthropic = await startFakeAnthropic();
    const env = {
      ...claudeChildEnv(fake.url, join(dir.path, 'agent-home')),
      REINS_TELEGRAM_TOKEN: '123456:AAHsecret-token-value',
      REINS_TELEGRAM_OWNER_ID: '42',
      reins_lowercase: 'x',
      REINS_HOME: join(dir.path, 'home'),
    };
    const config = parseConfig({ port: 0, agents: { claude: { bin: claudeBin(), env: { PROJECT_FLAG: 'on' } } } });
    const daemon = await startDaemon({ home: join(dir.path, 'home'), config, env, telegram: false });
    cleanup = async () => {
      await daemon.stop();
      await fake.close();
      dir.remove();
    };
    const api = apiClient(daemon.url, daemon.token);
    const { session } = await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: project, prompt: 'RUN: env > env.txt', mode: 'auto' });
    await api.waitTurnEnd(session.id);
    const seen = readFileSync(join(project, 'env.txt'), 'utf8');
    expect(seen).toMatch(/^PROJECT_FLAG=on$/m);
    expect(seen).toMatch(/^ANTHROPIC_BASE_URL=/m);
    expect(seen).not.toMatch(/^reins_/im);
    expect(seen).not.toContain('secret-token-value');
  });
});
