/** The runner contract suite against the real `opencode acp` and the fake Chat Completions API. */
import { join } from 'node:path';
import { opencodeDescriptor } from '../../src-main/core/agents/opencode/descriptor.ts';
import { runnerContract } from '../contract/runner-contract.ts';
import { startFakeChat } from '../fakes/chat-completions/server.ts';
import { opencodeEnv, pinnedBin } from '../helpers/acp-env.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { vi } from 'vitest';

// A cold OpenCode start takes seconds, many more on a loaded machine; each wait inside has its own bound.
vi.setConfig({ testTimeout: 120_000 });

runnerContract('opencode', async () => {
  const fake = await startFakeChat();
  const dir = tempDir('reins-opencode-contract-');
  const env = opencodeEnv(fake.url, fake.apiKey, join(dir.path, 'agent-home'));
  return {
    runner: opencodeDescriptor.createRunner({
      id: 'opencode',
      bin: pinnedBin('opencode'),
      config: { args: [], env: {} },
      maxLineBytes: 8 * 1024 * 1024,
      stateDir: join(dir.path, 'agent-state'),
    }),
    env: () => env,
    sayPrompt: 'SAY: hello from the contract',
    touchPrompt: (file) => `RUN: touch ${file}`,
    slowPrompt: 'SLOW: 20000 a long answer to interrupt',
    close: async () => {
      await fake.close();
      dir.remove();
    },
  };
});
