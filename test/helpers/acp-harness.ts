import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src-main/core/index.ts';
import { startDaemon } from '../../src-main/daemon/index.ts';
import { startFakeChat, type FakeChat } from '../fakes/chat-completions/server.ts';
import { startFakeGemini, type FakeGemini } from '../fakes/gemini-api/server.ts';
import { copilotEnv, geminiEnv, opencodeEnv, pinnedBin, qwenEnv } from './acp-env.ts';
import { apiClient, type TestApi } from './api-client.ts';
import { tempDir } from './temp-dir.ts';

export interface AcpHarness {
  home: string;
  project: string;
  gemini: FakeGemini;
  chat: FakeChat;
  api: TestApi;
  daemon: Awaited<ReturnType<typeof startDaemon>>;
  /** Stops the daemon and starts a new one on the same data directory (a restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real core + API on 127.0.0.1 in a temp data directory whose agents `gemini`, `opencode`,
 * `copilot` and `qwen` are the pinned CLIs, pointed at a fake Gemini API (Gemini) and a fake Chat
 * Completions API (the others). `config` adds to
 * config.json (e.g. a declared agent under `agents`).
 */
export async function startAcpHarness(config: { agents?: Record<string, unknown>; [k: string]: unknown } = {}): Promise<AcpHarness> {
  const dir = tempDir('reins-acp-');
  const home = join(dir.path, 'home');
  const project = join(dir.path, 'project');
  const agentHome = join(dir.path, 'agent-home');
  mkdirSync(project, { recursive: true });
  mkdirSync(agentHome, { recursive: true });
  const [gemini, chat] = await Promise.all([startFakeGemini(), startFakeChat()]);
  const env = {
    ...geminiEnv(gemini.url, gemini.apiKey, agentHome),
    ...opencodeEnv(chat.url, chat.apiKey, agentHome),
    ...copilotEnv(chat.url, chat.apiKey, agentHome),
    ...qwenEnv(chat.url, chat.apiKey, agentHome),
  };
  const cfg = parseConfig({
    port: 0,
    ...config,
    agents: {
      gemini: { bin: pinnedBin('gemini') },
      opencode: { bin: pinnedBin('opencode') },
      copilot: { bin: pinnedBin('copilot') },
      qwen: { bin: pinnedBin('qwen') },
      ...config.agents,
    },
  });
  const start = () => startDaemon({ home, config: cfg, env });
  const h: AcpHarness = {
    home,
    project,
    gemini,
    chat,
    daemon: await start(),
    api: undefined as unknown as TestApi,
    async restart() {
      await h.daemon.stop();
      h.daemon = await start();
      h.api = apiClient(h.daemon.url, h.daemon.token);
    },
    async close() {
      await h.daemon.stop();
      await Promise.all([gemini.close(), chat.close()]);
      dir.remove();
    },
  };
  h.api = apiClient(h.daemon.url, h.daemon.token);
  return h;
}
