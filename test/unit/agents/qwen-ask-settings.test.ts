/** Qwen Code's runs get system settings under which its reads, edits and commands ask, on top of the machine's own. */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { QWEN_SYSTEM_SETTINGS_ENV, qwenRunEnv, withAskRules } from '../../../src-main/core/agents/qwen/ask-settings.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

/** Qwen's rule names for reads and searches, edits, shell, web fetch and search, sub-agents. */
const ALL = ['Read', 'Edit', 'Bash', 'WebFetch', 'WebSearch', 'Agent'];

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir?.remove());

describe('withAskRules', () => {
  it('adds the ask rules and keeps every other setting and rule', () => {
    const out = withAskRules({ model: { name: 'x' }, permissions: { allow: ['Edit', 'Bash(git *)'], ask: ['Lsp'], deny: ['Bash(rm *)'] } });
    expect(out).toEqual({ model: { name: 'x' }, permissions: { allow: ['Edit', 'Bash(git *)'], ask: ['Lsp', ...ALL], deny: ['Bash(rm *)'] } });
  });

  it('works from nothing, and does not repeat a rule already there', () => {
    expect(withAskRules(null)).toEqual({ permissions: { ask: ALL } });
    expect(withAskRules({ permissions: { ask: ['Edit'] } })).toEqual({ permissions: { ask: ['Edit', ...ALL.filter((r) => r !== 'Edit')] } });
  });
});

describe('qwenRunEnv', () => {
  it("overlays the machine's system settings (named by the variable) into a private file the variable then names", () => {
    dir = tempDir('reins-qwen-');
    const machine = join(dir.path, 'machine-settings.json');
    writeFileSync(machine, '{\n  // an administrator\'s comment\n  "tools": { "sandbox": true },\n}\n');
    const state = join(dir.path, 'state', 'qwen');
    const env = qwenRunEnv({ PATH: '/usr/bin', [QWEN_SYSTEM_SETTINGS_ENV]: machine }, state);
    const file = join(state, 'system-settings.json');
    expect(env).toEqual({ PATH: '/usr/bin', [QWEN_SYSTEM_SETTINGS_ENV]: file });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ tools: { sandbox: true }, permissions: { ask: ALL } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(state).mode & 0o777).toBe(0o700);
  });

  it('reads the platform default when the variable is unset or names its own file, and does without one that does not exist', () => {
    dir = tempDir('reins-qwen-');
    const state = join(dir.path, 'qwen');
    const first = qwenRunEnv({}, state, 'linux');
    // A second run whose environment already names the overlay (a run started from a Reins-started agent).
    const again = qwenRunEnv(first, state, 'linux');
    expect(again[QWEN_SYSTEM_SETTINGS_ENV]).toBe(first[QWEN_SYSTEM_SETTINGS_ENV]);
    expect(JSON.parse(readFileSync(join(state, 'system-settings.json'), 'utf8')).permissions.ask).toEqual(expect.arrayContaining(ALL));
  });

  it('refuses to start the run when the machine settings are not a JSON object, naming the file', () => {
    dir = tempDir('reins-qwen-');
    const machine = join(dir.path, 'broken.json');
    writeFileSync(machine, '{ "permissions": ');
    expect(() => qwenRunEnv({ [QWEN_SYSTEM_SETTINGS_ENV]: machine }, join(dir.path, 'qwen'))).toThrow(/broken\.json are not a JSON object.*fix the file/);
    writeFileSync(machine, '[1, 2]');
    expect(() => qwenRunEnv({ [QWEN_SYSTEM_SETTINGS_ENV]: machine }, join(dir.path, 'qwen'))).toThrow(/not a JSON object/);
  });
});
