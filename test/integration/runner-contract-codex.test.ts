/** The runner contract suite against the real `codex app-server` and the fake Responses API. */
import { join } from 'node:path';
import { codexDescriptor } from '../../src-main/core/agents/codex/descriptor.ts';
import { parseConfig } from '../../src-main/core/index.ts';
import { runnerContract } from '../contract/runner-contract.ts';
import { startFakeResponses } from '../fakes/openai-responses/index.ts';
import { codexBin, codexChildEnv, writeCodexConfig } from '../helpers/codex-env.ts';
import { tempDir } from '../helpers/temp-dir.ts';

runnerContract('codex', async () => {
  const fake = await startFakeResponses();
  const dir = tempDir('reins-codex-contract-');
  const home = join(dir.path, 'agent-home');
  const codexHome = join(home, '.codex');
  writeCodexConfig(codexHome, fake.baseUrl);
  const config = parseConfig({}).agents.codex ?? { args: [], env: {} };
  return {
    runner: codexDescriptor.createRunner({ id: 'codex', bin: codexBin(), config, maxLineBytes: 8 * 1024 * 1024, stateDir: join(dir.path, 'agent-state') }),
    env: () => codexChildEnv(codexHome, home),
    sayPrompt: 'SAY: hello from the contract',
    touchPrompt: (file) => `RUN: touch ${file}`,
    slowPrompt: 'SLOW: 20000 a long answer to interrupt',
    close: async () => {
      await fake.close();
      dir.remove();
    },
  };
});
