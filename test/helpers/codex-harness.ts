import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type ReinsConfig } from '../../src-main/core/index.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { startFakeResponses, type FakeResponses } from '../fakes/openai-responses/index.ts';
import { apiClient, type TestApi } from './api-client.ts';
import { codexBin, codexChildEnv, writeCodexConfig } from './codex-env.ts';
import { tempDir } from './temp-dir.ts';

export interface CodexHarness {
  home: string;
  project: string;
  fake: FakeResponses;
  api: TestApi;
  daemon: Awaited<ReturnType<typeof startDaemon>>;
  /** Stops the daemon and starts a new one on the same data directory (a restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real core + API on 127.0.0.1 in a temp data directory, driving the real pinned `codex
 * app-server` against a fresh fake Responses API (the codex variant of core-harness.ts). The fake
 * is configured the way an owner would configure a provider: CODEX_HOME/config.toml in the agent's
 * environment, nothing in Reins' own config but the binary.
 */
export async function startCodexHarness(config: Record<string, unknown> = {}): Promise<CodexHarness> {
  const dir = tempDir('reins-codex-');
  const home = join(dir.path, 'home');
  const project = join(dir.path, 'project');
  const agentHome = join(dir.path, 'agent-home');
  const codexHome = join(agentHome, '.codex');
  mkdirSync(project, { recursive: true });
  const fake = await startFakeResponses();
  writeCodexConfig(codexHome, fake.baseUrl);
  const cfg: ReinsConfig = parseConfig({ port: 0, ...config, agents: { codex: { bin: codexBin() } } });
  const env = codexChildEnv(codexHome, agentHome);
  const start = () => startDaemon({ home, config: cfg, env });
  const h: CodexHarness = {
    home,
    project,
    fake,
    daemon: await start(),
    api: undefined as unknown as TestApi,
    async restart() {
      await h.daemon.stop();
      h.daemon = await start();
      h.api = apiClient(h.daemon.url, h.daemon.token);
    },
    async close() {
      await h.daemon.stop();
      await fake.close();
      dir.remove();
    },
  };
  h.api = apiClient(h.daemon.url, h.daemon.token);
  return h;
}
