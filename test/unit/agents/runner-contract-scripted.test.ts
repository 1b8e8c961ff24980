/** The runner contract suite against the scripted runner that session-manager tests use. */
import { runnerContract } from '../../contract/runner-contract.ts';
import { createScriptedRunner } from '../../fakes/scripted-runner.ts';

runnerContract('scripted', async () => ({
  runner: createScriptedRunner({ auto: true }).runner,
  env: () => ({}),
  sayPrompt: 'say hello from the contract',
  touchPrompt: (file) => `touch ${file}`,
  slowPrompt: 'slow',
}));
