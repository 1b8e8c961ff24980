import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOOK_AGENTS, type HookAgent } from '../../../src-main/hooks/hook-agents.ts';
import { hookCommand, hookSettingsSpec, isReinsEntry, type HookSettingsSpec } from '../../../src-main/hooks/install/hook-settings.ts';
import { backupPathOf, installHooks, uninstallHooks } from '../../../src-main/hooks/install/install-hooks.ts';
import { HookSettingsError } from '../../../src-main/hooks/install/settings-edit.ts';
import { tempDir } from '../../helpers/temp-dir.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => (dir = tempDir('reins-hooks-install-')));
afterEach(() => dir.remove());

const COMMAND = hookCommand('claude', {
  node: '/opt/node 24/bin/node',
  launcher: '/opt/reins/bin/reins.js',
  home: '/home/u/.local/share/reins',
  windows: false,
});
const specFor = (agent: HookAgent, project = true, command = COMMAND.replace('hook claude', `hook ${agent}`)): HookSettingsSpec =>
  hookSettingsSpec(agent, { ...(project ? { project: join(dir.path, 'proj') } : {}), env: { HOME: join(dir.path, 'home') }, command });
const read = (path: string): string => readFileSync(path, 'utf8');
const json = (path: string): Record<string, unknown> => JSON.parse(read(path)) as Record<string, unknown>;
const write = (path: string, text: string): void => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};

/** A settings file of each agent's format with the user's own hook in the same list, other lists and keys. */
const USER_FILES: Record<HookAgent, string> = {
  claude:
    '{"model":"opus","hooks":{"PreToolUse":[{"matcher":"Bash","hooks":[{"type":"command","command":"/usr/local/bin/my-guard.sh"}]}],"Stop":[{"hooks":[{"type":"command","command":"say done"}]}]},"permissions":{"allow":["Bash(npm test)"]}}',
  codex:
    '{\n\t"hooks": {\n\t\t"PreToolUse": [\n\t\t\t{ "matcher": "Bash", "hooks": [ { "type": "command", "command": "./guard.sh", "timeout": 30 } ] }\n\t\t]\n\t}\n}\n',
  gemini:
    '{\r\n  // my settings\r\n  "theme": "GitHub",\r\n  "hooks": {\r\n    "AfterTool": [{ "matcher": "write_file", "hooks": [{ "type": "command", "command": "prettier" }] }]\r\n  },\r\n}\r\n',
  cursor:
    '{\n    "version": 1,\n    "hooks": {\n        "beforeShellExecution": [ { "command": "./hooks/gate.sh" } ],\n        "afterFileEdit": [ { "command": "./hooks/format.sh" } ]\n    }\n}\n',
};

describe('hook command', () => {
  it('is the absolute node and launcher, quoted for sh, with the data directory fixed', () => {
    expect(COMMAND).toBe("'/opt/node 24/bin/node' /opt/reins/bin/reins.js hook claude --home /home/u/.local/share/reins");
    expect(
      hookCommand('cursor', { node: 'C:\\node\\node.exe', launcher: 'C:\\Program Files\\Reins\\bin\\reins.js', home: 'C:\\Users\\u\\Reins', windows: true }),
    ).toBe('"C:\\node\\node.exe" "C:\\Program Files\\Reins\\bin\\reins.js" hook cursor --home "C:\\Users\\u\\Reins"');
  });

  it("only Reins' own entries are recognised as Reins'", () => {
    expect(isReinsEntry({ matcher: '*', hooks: [{ type: 'command', command: COMMAND }] })).toBe(true);
    expect(isReinsEntry({ command: COMMAND })).toBe(true);
    expect(
      isReinsEntry({
        matcher: '*',
        hooks: [
          { type: 'command', command: COMMAND },
          { type: 'command', command: './mine.sh' },
        ],
      }),
    ).toBe(false);
    expect(isReinsEntry({ matcher: '*', hooks: [{ type: 'command', command: 'echo reins hook claude' }] })).toBe(false);
    expect(isReinsEntry({ matcher: '*', hooks: [] })).toBe(false);
  });
});

describe.each(HOOK_AGENTS)('%s hooks install/uninstall', (agent) => {
  it('creates the settings file when there is none, and uninstall deletes it again', () => {
    const spec = specFor(agent);
    const r = installHooks(spec);
    expect(r).toMatchObject({ changed: true, created: true, backupPath: null });
    const installed = json(spec.path);
    for (const { at, entry } of spec.entries) expect(at.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], installed)).toEqual([entry]);
    if (agent === 'cursor') expect(installed.version).toBe(1);
    expect(existsSync(backupPathOf(spec.path))).toBe(false);
    expect(uninstallHooks(spec)).toMatchObject({ changed: true, deleted: true });
    expect(existsSync(spec.path)).toBe(false);
  });

  it("merges with the user's entries, keeps a backup, and uninstall gives back the same bytes", () => {
    const spec = specFor(agent, false);
    const original = USER_FILES[agent];
    write(spec.path, original);
    const r = installHooks(spec);
    expect(r).toMatchObject({ changed: true, created: false, backupPath: backupPathOf(spec.path) });
    expect(read(backupPathOf(spec.path))).toBe(original);
    const text = read(spec.path);
    // The user's own hooks are all still there, ours after theirs in the same list.
    for (const mine of ['my-guard.sh', './guard.sh', 'prettier', './hooks/gate.sh', './hooks/format.sh', 'say done']) {
      if (original.includes(mine)) expect(text).toContain(mine);
    }
    if (agent === 'gemini') expect(text).toContain('// my settings');
    expect(uninstallHooks(spec)).toMatchObject({ changed: true, deleted: false, restored: true });
    expect(read(spec.path)).toBe(original);
    expect(existsSync(backupPathOf(spec.path))).toBe(false);
  });

  it('is idempotent: a second install changes nothing and keeps the first backup', () => {
    const spec = specFor(agent);
    write(spec.path, USER_FILES[agent]);
    installHooks(spec);
    const once = read(spec.path);
    expect(installHooks(spec)).toMatchObject({ changed: false });
    expect(read(spec.path)).toBe(once);
    expect(read(backupPathOf(spec.path))).toBe(USER_FILES[agent]);
    uninstallHooks(spec);
    expect(read(spec.path)).toBe(USER_FILES[agent]);
  });

  it('replaces an older Reins entry (a moved checkout) instead of adding a second one', () => {
    const old = specFor(agent, true, COMMAND.replace('/opt/reins', '/old/reins').replace('hook claude', `hook ${agent}`));
    const spec = specFor(agent);
    write(spec.path, USER_FILES[agent]);
    installHooks(old);
    expect(installHooks(spec)).toMatchObject({ changed: true });
    const text = read(spec.path);
    expect(text).not.toContain('/old/reins');
    expect(text.split('/opt/reins/bin/reins.js').length - 1).toBe(spec.entries.length);
    expect(read(backupPathOf(spec.path))).toBe(USER_FILES[agent]);
    uninstallHooks(spec);
    expect(read(spec.path)).toBe(USER_FILES[agent]);
  });

  it("keeps the user's later edits on uninstall and removes only Reins' entries", () => {
    const spec = specFor(agent);
    installHooks(spec);
    const listAt = spec.entries[0]!.at;
    const doc = json(spec.path);
    const list = listAt.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], doc) as unknown[];
    list.unshift(agent === 'cursor' ? { command: './later.sh' } : { hooks: [{ type: 'command', command: './later.sh' }] });
    write(spec.path, JSON.stringify(doc, null, 2));
    expect(uninstallHooks(spec)).toMatchObject({ changed: true, deleted: false, restored: false });
    const after = json(spec.path);
    expect(listAt.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], after)).toEqual([list[0]]);
    expect(read(spec.path)).not.toContain('reins.js');
  });

  it('uninstall without an install changes nothing', () => {
    const spec = specFor(agent);
    write(spec.path, USER_FILES[agent]);
    expect(uninstallHooks(spec)).toMatchObject({ changed: false });
    expect(read(spec.path)).toBe(USER_FILES[agent]);
  });

  it('refuses a file that is not JSON and leaves it alone', () => {
    const spec = specFor(agent);
    write(spec.path, '{"hooks": [}');
    expect(() => installHooks(spec)).toThrow(HookSettingsError);
    expect(read(spec.path)).toBe('{"hooks": [}');
    expect(existsSync(backupPathOf(spec.path))).toBe(false);
  });
});

describe('settings locations', () => {
  it("are each agent's user and project files", () => {
    const env = { HOME: '/h', CLAUDE_CONFIG_DIR: '/cfg/claude', CODEX_HOME: '/cfg/codex' };
    const at = (agent: HookAgent, project?: string) => hookSettingsSpec(agent, { env, command: COMMAND, ...(project ? { project } : {}) }).path;
    expect([at('claude'), at('codex'), at('gemini'), at('cursor')]).toEqual([
      '/cfg/claude/settings.json',
      '/cfg/codex/hooks.json',
      '/h/.gemini/settings.json',
      '/h/.cursor/hooks.json',
    ]);
    expect([at('claude', '/p'), at('codex', '/p'), at('gemini', '/p'), at('cursor', '/p')]).toEqual([
      '/p/.claude/settings.json',
      '/p/.codex/hooks.json',
      '/p/.gemini/settings.json',
      '/p/.cursor/hooks.json',
    ]);
  });
});
