/** OpenCode's runs get OPENCODE_PERMISSION under which its reads, edits, commands and fetches ask. */
import { describe, expect, it } from 'vitest';
import { OPENCODE_PERMISSION_ENV, opencodeRunEnv } from '../../../src-main/core/agents/opencode/ask-permissions.ts';

const ASK = ['read', 'edit', 'bash', 'glob', 'grep', 'list', 'webfetch', 'websearch', 'task', 'external_directory'];

describe('opencodeRunEnv', () => {
  it('asks for every file, shell, web and sub-agent permission, and leaves the rest of the environment alone', () => {
    const env = opencodeRunEnv({ PATH: '/usr/bin' });
    expect(env.PATH).toBe('/usr/bin');
    expect(JSON.parse(env[OPENCODE_PERMISSION_ENV]!)).toEqual(Object.fromEntries(ASK.map((p) => [p, 'ask'])));
  });

  it("overrides the owner's allow rules for those permissions and keeps their other ones", () => {
    const own = JSON.stringify({ bash: { 'git *': 'allow' }, edit: 'allow', doom_loop: 'deny' });
    const permission = JSON.parse(opencodeRunEnv({ [OPENCODE_PERMISSION_ENV]: own })[OPENCODE_PERMISSION_ENV]!);
    expect(permission).toMatchObject({ bash: 'ask', edit: 'ask', doom_loop: 'deny' });
  });

  it('refuses to start the run when the variable the owner set is not a JSON object', () => {
    expect(() => opencodeRunEnv({ [OPENCODE_PERMISSION_ENV]: '{"bash": ' })).toThrow(/OPENCODE_PERMISSION .* not a JSON object; fix or unset it/);
    expect(() => opencodeRunEnv({ [OPENCODE_PERMISSION_ENV]: '"allow"' })).toThrow(/not a JSON object/);
  });
});
