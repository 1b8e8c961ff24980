/**
 * Where each agent keeps its hook settings and the entry Reins adds there. Formats:
 * shared/reference/claude-code-protocol.md §4.1–4.2 (Claude), codex-gemini-cursor-opencode-protocols.md
 * §1.6 (Codex: `hooks.json`, Claude's format), §3.6 (Gemini: `settings.json` BeforeTool, timeout in ms),
 * §4 (Cursor: `hooks.json`, flat entries, docs only).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HOOK_TIMEOUT_S, type HookAgent } from '../hook-agents.ts';

/** One hook list of a settings file (a JSON path to an array) and the entry Reins puts in it. */
interface HookListEntry {
  at: string[];
  entry: Record<string, unknown>;
}

export interface HookSettingsSpec {
  agent: HookAgent;
  /** The settings file. */
  path: string;
  /** What a file Reins creates holds besides Reins' entries. */
  skeleton: Record<string, unknown>;
  entries: HookListEntry[];
  /** What the user should know after installing (trust prompts, untested formats). */
  notes: string[];
}

export interface SpecOptions {
  /** A project folder; otherwise the user's own settings. */
  project?: string;
  env: NodeJS.ProcessEnv;
  /** The hook command line (see hookCommand). */
  command: string;
}

/** Cursor's gate events that describe a call well enough to decide on it. */
const CURSOR_EVENTS = ['beforeShellExecution', 'beforeMCPExecution', 'beforeReadFile'];

/** The settings file and entries for `agent`. */
export function hookSettingsSpec(agent: HookAgent, opts: SpecOptions): HookSettingsSpec {
  const home = opts.env.HOME ?? homedir();
  const { project, command } = opts;
  switch (agent) {
    case 'claude':
      return {
        agent,
        path: project ? join(project, '.claude', 'settings.json') : join(opts.env.CLAUDE_CONFIG_DIR || join(home, '.claude'), 'settings.json'),
        skeleton: {},
        // `onFailure: "block"`: a hook that times out must block the call, not let it through (§4.4).
        entries: [{ at: ['hooks', 'PreToolUse'], entry: { matcher: '*', hooks: [{ type: 'command', command, timeout: HOOK_TIMEOUT_S, onFailure: 'block' }] } }],
        notes: ['New `claude` sessions pick the hook up; `claude --bare` and `--safe-mode` skip hooks.'],
      };
    case 'codex':
      return {
        agent,
        path: project ? join(project, '.codex', 'hooks.json') : join(opts.env.CODEX_HOME || join(home, '.codex'), 'hooks.json'),
        skeleton: {},
        // No matcher: every tool (Bash and apply_patch alike).
        entries: [{ at: ['hooks', 'PreToolUse'], entry: { hooks: [{ type: 'command', command, timeout: HOOK_TIMEOUT_S }] } }],
        notes: [
          'Codex runs a hook only once you trust it: start `codex`, open /hooks and trust the Reins hook (or run `codex exec --dangerously-bypass-hook-trust` once per run).',
          ...(project ? ['Project hooks load only in projects Codex trusts.'] : []),
          'Codex takes only "deny" from this hook: calls Reins allows go on through Codex\'s own approval rules.',
        ],
      };
    case 'gemini':
      return {
        agent,
        path: join(project ?? home, '.gemini', 'settings.json'),
        skeleton: {},
        entries: [{ at: ['hooks', 'BeforeTool'], entry: { matcher: '.*', hooks: [{ type: 'command', command, timeout: HOOK_TIMEOUT_S * 1000 }] } }],
        notes: project ? ['Gemini disables project hooks in folders it does not trust: trust this folder in Gemini.'] : [],
      };
    case 'cursor':
      return {
        agent,
        path: join(project ?? home, '.cursor', 'hooks.json'),
        skeleton: { version: 1 },
        entries: CURSOR_EVENTS.map((event) => ({ at: ['hooks', event], entry: { command, timeout: HOOK_TIMEOUT_S } })),
        notes: ["Cursor's hook format is taken from its documentation and not tested here. Cursor has no gate before file edits: edits are not checked."],
      };
  }
}

/** Quotes one word for the shell that runs hook commands (sh on POSIX, cmd on Windows). */
function shellWord(word: string, windows: boolean): string {
  if (windows) return `"${word.replace(/"/g, '""')}"`;
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The hook command: this Node (absolute: an IDE starts agents with a bare PATH, and the hook needs
 * Node 24) running Reins' own launcher (absolute), whose `hook` word goes straight to the small hook
 * client, with the data directory fixed at install time (the agent's environment may not name it).
 */
export function hookCommand(agent: HookAgent, opts: { node: string; launcher: string; home: string; windows?: boolean }): string {
  const w = (s: string): string => shellWord(s, opts.windows ?? process.platform === 'win32');
  return [w(opts.node), w(opts.launcher), 'hook', agent, '--home', w(opts.home)].join(' ');
}

/** True for a command Reins installed: its launcher followed by `hook <agent>`. */
function isReinsHookCommand(command: unknown): boolean {
  return typeof command === 'string' && /reins\.js["']? hook (claude|codex|gemini|cursor)\b/.test(command);
}

/** True for a hook-list entry Reins added: each command in it is Reins' (Cursor's flat form or a matcher group). */
export function isReinsEntry(entry: unknown): boolean {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return false;
  const e = entry as Record<string, unknown>;
  if ('command' in e) return isReinsHookCommand(e.command);
  const hooks = e.hooks;
  return (
    Array.isArray(hooks) &&
    hooks.length > 0 &&
    hooks.every((h) => typeof h === 'object' && h !== null && isReinsHookCommand((h as Record<string, unknown>).command))
  );
}
