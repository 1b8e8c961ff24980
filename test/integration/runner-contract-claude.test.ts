/** The runner contract suite against the real `claude` CLI and the fake Anthropic API. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { claudeDescriptor } from '../../src-main/core/agents/claude/descriptor.ts';
import { parseConfig } from '../../src-main/core/index.ts';
import { runnerContract } from '../contract/runner-contract.ts';
import { startFakeAnthropic } from '../fakes/anthropic/index.ts';
import { claudeBin, claudeChildEnv } from '../helpers/claude-env.ts';
import { tempDir } from '../helpers/temp-dir.ts';

runnerContract('claude', async () => {
  const fake = await startFakeAnthropic();
  const dir = tempDir('reins-claude-contract-');
  const home = join(dir.path, 'agent-home');
  mkdirSync(home);
  const config = parseConfig({}).agents.claude ?? { args: [], env: {} };
  return {
    runner: claudeDescriptor.createRunner({ id: 'claude', bin: claudeBin(), config, maxLineBytes: 8 * 1024 * 1024, stateDir: join(dir.path, 'agent-state') }),
    env: () => claudeChildEnv(fake.url, home),
    sayPrompt: 'SAY: hello from the contract',
    touchPrompt: (file) => `RUN: touch ${file}`,
    slowPrompt: 'SLOW: 20000 a long answer to interrupt',
    close: async () => {
      await fake.close();
      dir.remove();
    },
  };
});
