import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type CoreDeps, type ReinsConfig } from '../../src-main/core/index.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/index.ts';
import { apiClient, type TestApi } from './api-client.ts';
import { claudeBin, claudeChildEnv } from './claude-env.ts';
import { tempDir } from './temp-dir.ts';

export interface Harness {
  home: string;
  project: string;
  fake: FakeAnthropic;
  url: string;
  token: string;
  api: TestApi;
  daemon: Awaited<ReturnType<typeof startDaemon>>;
  /** Stops the daemon and starts a new one on the same data directory (a restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real core + API on 127.0.0.1 (port 0) in a temp data directory, driving the real pinned
 * `claude` against a fresh fake Anthropic API. `config` overrides config.json fields; `time` gives the
 * core a clock and timers (a manual clock drives its watchdog, approvals and reaper).
 */
export async function startHarness(config: Record<string, unknown> = {}, time: Pick<CoreDeps, 'clock' | 'timers'> = {}): Promise<Harness> {
  const dir = tempDir('reins-core-');
  const home = join(dir.path, 'home');
  const project = join(dir.path, 'project');
  const agentHome = join(dir.path, 'agent-home');
  mkdirSync(project, { recursive: true });
  mkdirSync(agentHome, { recursive: true });
  const fake = await startFakeAnthropic();
  const cfg: ReinsConfig = parseConfig({ port: 0, ...config, agents: { claude: { bin: claudeBin() }, ...((config.agents as object | undefined) ?? {}) } });
  const env = claudeChildEnv(fake.url, agentHome);
  const start = () => startDaemon({ home, config: cfg, env, ...time });
  const h: Harness = {
    home,
    project,
    fake,
    daemon: await start(),
    url: '',
    token: '',
    api: undefined as unknown as TestApi,
    async restart() {
      await h.daemon.stop();
      h.daemon = await start();
      h.url = h.daemon.url;
      h.token = h.daemon.token;
      h.api = apiClient(h.url, h.token);
    },
    async close() {
      await h.daemon.stop();
      await fake.close();
      dir.remove();
    },
  };
  h.url = h.daemon.url;
  h.token = h.daemon.token;
  h.api = apiClient(h.url, h.token);
  return h;
}
