/**
 * A `claude` Reins did not start: the test runs the REAL pinned CLI as a plain process (as a developer
 * would in a terminal) in a project where `reins hooks install claude --project` put Reins' hook. Each
 * tool call goes through the running core's policy and approvals; the owner decides through the API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Approval } from '../../src-main/contract/index.ts';
import { toolResultsIn } from '../fakes/anthropic/index.ts';
import { claudeBin, claudeChildEnv } from '../helpers/claude-env.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const LAUNCHER = join(ROOT, 'bin', 'reins.js');
/** A cold `claude` start takes seconds on a busy 2-core machine; each CLI run gets this much. */
const CLI_MS = 45_000;

let h: Harness | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await h?.close();
  h = undefined;
  dir?.remove();
  dir = undefined;
});

/** Runs `node bin/reins.js …` to its end. */
function reins(args: string[], input?: string): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin!.end(input ?? '');
  return new Promise((done) => child.once('exit', (code) => done({ code, stdout, stderr, ms: performance.now() - started })));
}

/** Starts the real claude in `-p` mode as a plain process, like a developer in a terminal. */
function claude(project: string, agentHome: string, prompt: string): { exited: Promise<{ code: number | null; stdout: string; stderr: string }> } {
  const child = spawn(claudeBin(), ['-p', prompt, '--output-format', 'json'], {
    cwd: project,
    env: claudeChildEnv(h!.fake.url, agentHome),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  return { exited: new Promise((done) => child.once('exit', (code) => done({ code, stdout, stderr }))) };
}

const bounded = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms).unref())]);

/** The project and the CLI's own home, with the user's own project settings in place. */
const USER_SETTINGS = '{\n  "includeCoAuthoredBy": false,\n  "permissions": { "allow": [] }\n}\n';
function setUp(): { project: string; agentHome: string; settings: string } {
  dir = tempDir('reins-hooks-claude-');
  const agentHome = join(dir.path, 'agent-home');
  mkdirSync(agentHome);
  const project = h!.project;
  const settings = join(project, '.claude', 'settings.json');
  mkdirSync(join(project, '.claude'));
  writeFileSync(settings, USER_SETTINGS);
  return { project, agentHome, settings };
}

const toolResults = () => h!.fake.requests.flatMap((r) => toolResultsIn(r.messages));

describe('claude started outside Reins, with the hook installed', () => {
  it('asks Reins before each tool call: harmless reads run, risky calls wait for the owner, and uninstall restores the settings byte for byte', {
    timeout: CLI_MS + 30_000,
  }, async () => {
    h = await startHarness();
    const { project, agentHome, settings } = setUp();
    const installed = await reins(['hooks', 'install', 'claude', '--project', project, '--home', h.home]);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toContain(`Installed the Reins hook for claude in ${settings}`);
    expect(readFileSync(`${settings}.reins-backup`, 'utf8')).toBe(USER_SETTINGS);
    writeFileSync(join(project, 'readme.txt'), 'hello from the readme\n');

    const run = claude(
      project,
      agentHome,
      [`TOOL: Read {"file_path": ${JSON.stringify(join(project, 'readme.txt'))}}`, 'RUN: touch allowed.txt', 'RUN: touch denied.txt', 'SAY: finished'].join(
        '\n',
      ),
    );
    const deadline = Date.now() + CLI_MS;
    const left = (): number => Math.max(1000, deadline - Date.now());

    // The read ran by policy, with no approval; the first risky call waits for the owner.
    const first = await waitFor(async () => (await h!.api.pending())[0], 'the approval of `touch allowed.txt`', left());
    expect(first).toMatchObject({ kind: 'tool', tool: 'Bash', status: 'pending', action: { kind: 'shell', command: 'touch allowed.txt' } });
    expect(existsSync(join(project, 'allowed.txt'))).toBe(false);
    expect(toolResults().find((r) => r.toolName === 'Read')?.text).toContain('hello from the readme');

    const session = await h.api.session(first.sessionId);
    expect(session).toMatchObject({ adopted: true, agent: 'claude', cwd: project, state: 'waiting', waitingFor: 'approval' });
    expect(session.agentSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(session.transcriptPath).toContain(session.agentSessionId!);
    const events = await h.api.events(session.id);
    expect(events.some((e) => e.kind === 'policy_decision' && e.payload.decision === 'allow' && e.payload.action?.kind === 'read')).toBe(true);

    await h.api.post<{ approval: Approval }>(`/approvals/${first.id}/decision`, { decision: 'allow' });
    const second = await waitFor(async () => (await h!.api.pending()).find((a) => a.id !== first.id), 'the approval of `touch denied.txt`', left());
    expect(existsSync(join(project, 'allowed.txt'))).toBe(true);
    expect(second.sessionId).toBe(session.id);
    await h.api.post<{ approval: Approval }>(`/approvals/${second.id}/decision`, { decision: 'deny', message: 'not in this project, please' });

    const out = await bounded(run.exited, left(), 'claude to finish');
    expect(out.code, out.stderr).toBe(0);
    expect(existsSync(join(project, 'denied.txt'))).toBe(false);
    // The owner's words reached the model as the tool's error.
    expect(toolResults().some((r) => r.toolName === 'Bash' && r.isError && r.text.includes('not in this project, please'))).toBe(true);
    expect((await h.api.session(session.id)).state).toBe('running');
    // A follow-up cannot reach an agent Reins does not drive.
    const refused = await h.api.raw('POST', `/sessions/${session.id}/messages`, { text: 'hi' });
    expect(refused.status).toBe(409);

    const removed = await reins(['hooks', 'uninstall', 'claude', '--project', project, '--home', h.home]);
    expect(removed.code, removed.stderr).toBe(0);
    expect(readFileSync(settings, 'utf8')).toBe(USER_SETTINGS);
    expect(existsSync(`${settings}.reins-backup`)).toBe(false);
  });

  it('denies every call when the core is not running: the hook answers at once and claude does not run the command', { timeout: CLI_MS + 30_000 }, async () => {
    h = await startHarness();
    const { project, agentHome } = setUp();
    expect((await reins(['hooks', 'install', 'claude', '--project', project, '--home', h.home])).code).toBe(0);
    const home = h.home;
    await h.daemon.stop();
    expect(existsSync(join(home, 'runtime.json'))).toBe(false);

    const input = JSON.stringify({
      session_id: 's-1',
      transcript_path: '/tmp/t.jsonl',
      cwd: project,
      hook_event_name: 'PreToolUse',
      tool_name: 'Bash',
      tool_input: { command: 'touch x' },
      tool_use_id: 'toolu_1',
    });
    // No runtime.json: denied without waiting for anything (the bound is generous on a busy machine).
    const gone = await bounded(reins(['hook', 'claude', '--home', home], input), 10_000, 'the hook with no core');
    expect(JSON.parse(gone.stdout)).toEqual({
      hookSpecificOutput: {
        hookEventName: 'PreToolUse',
        permissionDecision: 'deny',
        permissionDecisionReason: expect.stringContaining('Reins is not running'),
      },
    });
    // A runtime.json left by a core that died: the refused connection is a denial too.
    writeFileSync(join(home, 'runtime.json'), JSON.stringify({ url: 'http://127.0.0.1:1', token: 't', pid: 1, version: '0', startedAt: 0, home }));
    const dead = await bounded(reins(['hook', 'claude', '--home', home], input), 10_000, 'the hook with a dead core');
    expect(JSON.parse(dead.stdout).hookSpecificOutput).toMatchObject({
      permissionDecision: 'deny',
      permissionDecisionReason: expect.stringContaining('does not answer'),
    });

    // The real CLI gets the denial: the command never runs.
    const out = await bounded(claude(project, agentHome, 'RUN: touch never.txt').exited, CLI_MS, 'claude to finish');
    expect(out.code, out.stderr).toBe(0);
    expect(existsSync(join(project, 'never.txt'))).toBe(false);
    expect(toolResults().some((r) => r.toolName === 'Bash' && r.isError && r.text.includes('does not answer'))).toBe(true);
  });
});
