/** The `reins` command line against a running core (real CLI process, real claude behind the core). */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Approval, AuditEntry, Session, SessionEvent } from '../../src-main/contract/index.ts';
import { BUILTIN_AGENTS, binEnvName } from '../../src-main/core/agents/registry.ts';
import { openDatabase } from '../../src-main/core/store/index.ts';
import { startHarness, type Harness } from '../helpers/core-harness.ts';
import { claudeBin } from '../helpers/claude-env.ts';
import { codexBin } from '../helpers/codex-env.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

const CLI = fileURLToPath(new URL('../../src-main/cli/main.ts', import.meta.url));
const exec = promisify(execFile);

/** Runs `reins …`; resolves with code and output whether or not it failed. */
async function reins(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 30_000 });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('reins CLI', () => {
  it('a session whose agent is not logged in says so, with what to do, in `reins sessions` and the API', async () => {
    // The real claude with a key the fake model API refuses (401 authentication_error).
    h = await startHarness({ agents: { claude: { bin: claudeBin(), env: { ANTHROPIC_API_KEY: 'sk-ant-not-this-key', CLAUDE_CODE_MAX_RETRIES: '2' } } } });
    const home = ['--home', h.home];
    // Without --detach, run follows the session until it rests (here: its stdin is no terminal).
    const started = await reins(['run', ...home, '--cwd', h.project, 'hello']);
    const id = /Started session ([0-9a-f-]+)/.exec(started.out)![1]!;
    expect(started.code).toBe(0);
    expect(started.out).toContain('⚠ Not logged in: not logged in to the model provider; retrying in 1 s, attempt 1 of 2');
    expect(started.out).toMatch(/is idle: not logged in to the model provider: log the agent in/);
    const { session } = await h.api.get<{ session: Session }>(`/sessions/${id}`);
    expect(session.state).toBe('idle');
    expect(session.stateReason).toMatch(/^not logged in to the model provider: log the agent in/);
    // While the CLI retried by itself, the running session said so.
    const { events } = await h.api.get<{ events: SessionEvent[] }>(`/sessions/${id}/events`);
    const details = events.flatMap((e) => (e.kind === 'status' && e.payload.detail ? [e.payload.detail] : []));
    expect(details).toContain('not logged in to the model provider; retrying in 1 s, attempt 1 of 2');
    const listed = await reins(['sessions', ...home]);
    expect(listed.out).toContain(`${session.name} is idle: not logged in to the model provider: log the agent in (for Claude: run \`claude\` and /login)`);
  });

  it('says what to do when no core runs', async () => {
    const dir = tempDir();
    const r = await reins(['sessions', '--home', dir.path]);
    dir.remove();
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/No Reins core is running .*reins daemon/);
  });

  it('run → approvals → allow, sessions, deny with a message, audit verify', async () => {
    h = await startHarness();
    const home = ['--home', h.home];
    const started = await reins(['run', ...home, '--detach', '--cwd', h.project, 'RUN: touch from-cli.txt']);
    expect(started.code).toBe(0);
    const id = /Started session ([0-9a-f-]+)/.exec(started.out)![1]!;
    const a = await h.api.waitApproval(id);
    const listed = await reins(['approvals', ...home]);
    expect(listed.out).toContain(a.handle);
    expect(listed.out).toContain('touch from-cli.txt');
    const allowed = await reins(['allow', ...home, a.handle]);
    expect(allowed.out).toMatch(new RegExp(`${a.handle}: allowed`));
    await h.api.waitTurnEnd(id);
    expect((await h.api.get<{ approval: Approval }>(`/approvals/${a.id}`)).approval.surface).toBe('cli');

    const sessions = await reins(['sessions', ...home]);
    expect(sessions.out).toContain(id.slice(0, 8));
    expect(sessions.out).toMatch(/idle/);

    const before = (await h.api.session(id)).lastSeq;
    expect((await reins(['send', ...home, id, 'RUN: touch second.txt'])).code).toBe(0);
    const b = await h.api.waitApproval(id);
    const denied = await reins(['deny', ...home, b.handle, '--message', 'use the build dir']);
    expect(denied.out).toMatch(/denied/);
    await h.api.waitTurnEnd(id, before);
    const again = await reins(['deny', ...home, b.handle]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already decided/);

    const verify = await reins(['audit', 'verify', ...home]);
    expect(verify.code).toBe(0);
    expect(verify.out).toMatch(/Audit log intact: \d+ entries/);
  });

  it('a session paused at its budget: approvals shows it, allow takes a new limit, budget prints the spend', async () => {
    h = await startHarness();
    const home = ['--home', h.home];
    const { session } = await h.api.post<{ session: Session }>('/sessions', {
      agent: 'claude',
      cwd: h.project,
      prompt: 'USAGE: 30000 500\nSAY: costly',
      budget: { costUsd: 0.01 },
    });
    const a = await h.api.waitApproval(session.id);
    expect(a.kind).toBe('budget');
    const listed = await reins(['approvals', ...home]);
    expect(listed.out).toMatch(/Budget reached: this session spent \$[\d.]+ of \$0\.01 \(approve: continue to \$[\d.]+; deny: stop\)/);
    expect((await reins(['allow', ...home, a.handle, '--budget-usd', 'lots'])).err).toMatch(/^reins: --budget-usd takes an amount in dollars above 0/);
    const tooLow = await reins(['allow', ...home, a.handle, '--budget-usd', '0.005']);
    expect(tooLow.code).toBe(1);
    expect(tooLow.err).toMatch(/The new limit must be above what is already spent/);
    const allowed = await reins(['allow', ...home, a.handle, '--budget-usd', '5']);
    expect(allowed.out).toContain(`${a.handle}: allowed — continued by`);
    expect(allowed.out).toContain('with a limit of $5.00');
    const budget = await reins(['budget', ...home]);
    expect(budget.code).toBe(0);
    expect(budget.out).toMatch(/^Today \(\d{4}-\d\d-\d\d\): \$[\d.]+, 31k tokens; no daily limit \(set budgets\.day in config\.json\)\n/);
    expect(budget.out).toMatch(new RegExp(`${session.name}\\s+${session.id.slice(0, 8)}\\s+idle\\s+\\$[\\d.]+\\s+31k tokens\\s+\\$[\\d.]+ of \\$5\\.00`));
  });

  it('audit verify reports a tampered log and exits 1', async () => {
    h = await startHarness();
    await h.api.post('/sessions', { agent: 'claude', cwd: h.project, prompt: 'SAY: hi' });
    await h.daemon.stop();
    const db = openDatabase(`${h.home}/reins.db`);
    db.prepare("UPDATE audit SET actor = 'mallory' WHERE seq = 1").run();
    db.close();
    const r = await reins(['audit', 'verify', '--home', h.home]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/DAMAGED at entry 1 \(edited\): entry 1 was edited/);
  });

  it('doctor reports the agent, the core and what is missing', async () => {
    h = await startHarness();
    const r = await reins(['doctor', '--home', h.home], { REINS_CLAUDE_BIN: h.daemon.core.config.agents.claude!.bin!, REINS_CODEX_BIN: codexBin() });
    expect(r.out).toMatch(/✓ Node\s+v24/);
    expect(r.out).toMatch(/✓ Claude Code\s+2\.1\.329/);
    expect(r.out).toMatch(/✓ Codex\s+codex-cli 0\.169\.0/);
    expect(r.out).toMatch(/✓ Core\s+running at http:\/\/127\.0\.0\.1/);
    expect(r.out).toMatch(/Keychain/);
    expect(r.out).toMatch(/✓ Privacy\s+the data directory is 0700 and its files 0600/);
    expect(r.out).toMatch(/✓ Audit log\s+intact: \d+ entries, sealed with a key in/);
    const fromEnv = await reins(['doctor', '--home', h.home], {
      REINS_CLAUDE_BIN: h.daemon.core.config.agents.claude!.bin!,
      REINS_TELEGRAM_TOKEN: '123456:ABCdef',
      REINS_TELEGRAM_API_ROOT: 'http://127.0.0.1:9',
    });
    expect(fromEnv.out).toMatch(/! Telegram token\s+comes from REINS_TELEGRAM_TOKEN: .*ps eww.*reins telegram setup/);
    // Every other agent missing too: with none installed, doctor fails.
    const noOthers = Object.fromEntries(BUILTIN_AGENTS.filter((d) => d.id !== 'claude').map((d) => [binEnvName(d.id), `/nope/${d.defaultBin}`]));
    const missing = await reins(['doctor', '--home', h.home], { REINS_CLAUDE_BIN: '/nope/claude', ...noOthers });
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/✗ Claude Code\s+`\/nope\/claude` not found\. Install it/);
  });

  it('the first decision wins when many arrive at once; the rest are refused and audited', async () => {
    h = await startHarness();
    const { session } = await h.api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: h.project, prompt: 'RUN: touch race.txt' });
    const a = await h.api.waitApproval(session.id);
    const attempts = Array.from({ length: 12 }, (_, i) => h!.api.raw('POST', `/approvals/${a.id}/decision`, { decision: i % 2 ? 'deny' : 'allow' }));
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(11);
    await h.api.waitTurnEnd(session.id);
    const { entries } = await h.api.get<{ entries: AuditEntry[] }>('/audit?limit=200');
    expect(entries.filter((e) => e.subject === a.id && e.type === 'approval.decided')).toHaveLength(1);
    expect(entries.filter((e) => e.subject === a.id && e.type === 'approval.late_decision')).toHaveLength(11);
    await waitFor(async () => (await h!.api.events(session.id)).filter((e) => e.kind === 'approval_decided').length === 1, 'one decided event');
  });
});
