/** The runner contract suite against the real `gemini --acp` and the fake Gemini API. */
import { join } from 'node:path';
import { vi } from 'vitest';
import { geminiDescriptor } from '../../src-main/core/agents/gemini/descriptor.ts';
import { runnerContract } from '../contract/runner-contract.ts';
import { startFakeGemini } from '../fakes/gemini-api/server.ts';
import { geminiEnv, pinnedBin } from '../helpers/acp-env.ts';
import { tempDir } from '../helpers/temp-dir.ts';

// The resume test waits for the next minute (below).
vi.setConfig({ testTimeout: 120_000 });

runnerContract('gemini', async () => {
  const fake = await startFakeGemini();
  const dir = tempDir('reins-gemini-contract-');
  const env = geminiEnv(fake.url, fake.apiKey, join(dir.path, 'agent-home'));
  return {
    runner: geminiDescriptor.createRunner({
      id: 'gemini',
      bin: pinnedBin('gemini'),
      config: { args: [], env: {} },
      maxLineBytes: 8 * 1024 * 1024,
      stateDir: join(dir.path, 'agent-state'),
    }),
    env: () => env,
    sayPrompt: 'SAY: hello from the contract',
    touchPrompt: (file) => `RUN: touch ${file}`,
    slowPrompt: 'SLOW: 20000 a long answer to interrupt',
    // Gemini 0.61.0 cannot load a session in the minute it started (acp/PROTOCOL.md, "Gemini").
    beforeResume: async () => {
      const due = Date.now() - (Date.now() % 60_000) + 60_500;
      await new Promise((r) => setTimeout(r, due - Date.now()));
    },
    close: async () => {
      await fake.close();
      dir.remove();
    },
  };
});
