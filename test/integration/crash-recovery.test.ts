/**
 * kill -9 of the core with a tool running and an approval waiting, repeated: every agent (and the
 * command it runs) is gone within 2 s of the core's death, no acknowledged event is lost, sessions
 * are `interrupted` (and resume with one agent, never two), approvals that can no longer be
 * answered are `expired` with a reason, and nothing is decided twice.
 */
import { readlinkSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Approval, AuditEntry, Session, SessionEvent } from '../../src-main/contract/index.ts';
import { readRuntimeFile } from '../../src-main/surfaces/api/index.ts';
import { startFakeAnthropic, type FakeAnthropic } from '../fakes/anthropic/index.ts';
import { apiClient, type TestApi } from '../helpers/api-client.ts';
import { claudeBin, claudeChildEnv } from '../helpers/claude-env.ts';
import { liveProcesses, processesWith } from '../helpers/process-table.ts';
import { tempDir } from '../helpers/temp-dir.ts';
import { waitFor } from '../helpers/wait-for.ts';

const CLI = fileURLToPath(new URL('../../src-main/cli/main.ts', import.meta.url));
/**
 * Rounds of kill -9: 10 on every run; `REINS_CRASH_ROUNDS=25` repeats the longer measurement
 * SECURITY.md reports.
 */
const ROUNDS = Number(process.env.REINS_CRASH_ROUNDS ?? 10);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`REINS_CRASH_ROUNDS must be a whole number of rounds, not ${process.env.REINS_CRASH_ROUNDS}`);
/**
 * A tool call that runs until killed, unique per run and round so its process can be found. (The
 * CLI refuses a standalone long `sleep`; `tail -f /dev/null` waits the same way.)
 */
const toolCommand = (round: number) => `tail -n ${70_000 + (process.pid % 1000) * 30 + round} -f /dev/null`;

let dir: ReturnType<typeof tempDir>;
let fake: FakeAnthropic;
let home: string;
let project: string;
let env: Record<string, string>;
let child: ChildProcess | undefined;

beforeAll(async () => {
  dir = tempDir('reins-crash-');
  home = join(dir.path, 'home');
  project = join(dir.path, 'project');
  mkdirSync(project);
  mkdirSync(join(dir.path, 'agent-home'));
  fake = await startFakeAnthropic();
  env = { ...claudeChildEnv(fake.url, join(dir.path, 'agent-home')), REINS_CLAUDE_BIN: claudeBin(), REINS_LOG_LEVEL: 'warn' };
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await fake.close();
  dir.remove();
});

/** Starts `reins daemon` as a real child process and waits for its runtime.json. */
async function startCore(): Promise<TestApi> {
  const runtime = join(home, 'runtime.json');
  if (existsSync(runtime)) rmSync(runtime);
  child = spawn(process.execPath, [CLI, 'daemon', '--home', home, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  // A cold start on a loaded 2-core machine can take long; the message shows what the daemon said.
  const info = await waitFor(
    () => existsSync(runtime) && readRuntimeFile(runtime),
    () => `runtime.json (stderr: ${stderr.slice(-500)})`,
    60_000,
  );
  const api = apiClient(info.url, info.token);
  await waitFor(async () => (await api.raw('GET', '/health')).ok, 'health');
  return api;
}

/** Claude processes working in the test's project (the agents themselves). */
function agentsInProject(): number[] {
  return liveProcesses()
    .filter((p) => p.cmdline.includes('--permission-prompt-tool'))
    .filter((p) => {
      try {
        return readlinkSync(`/proc/${p.pid}/cwd`) === project;
      } catch {
        return false;
      }
    })
    .map((p) => p.pid);
}

function kill9(): Promise<void> {
  const c = child!;
  return new Promise((resolve) => {
    c.once('exit', () => resolve());
    c.kill('SIGKILL');
  });
}

describe('crash recovery after kill -9', () => {
  it(`leaves no agent alive, loses nothing and decides nothing twice, over ${ROUNDS} rounds`, async () => {
    const counts = {
      rounds: 0,
      acknowledgedEvents: 0,
      eventsLost: 0,
      sessionsInterrupted: 0,
      approvalsExpired: 0,
      doubleDecisions: 0,
      resumed: 0,
      roundsWithSurvivors: 0,
      twoAgentsForOneSession: 0,
    };
    const acknowledged = new Map<string, SessionEvent[]>();
    let api = await startCore();
    for (let round = 0; round < ROUNDS; round++) {
      // One session waits for an approval; one is in the middle of a long tool call.
      const waiting = (await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: project, prompt: `RUN: touch round-${round}.txt` })).session;
      const busy = (await api.post<{ session: Session }>('/sessions', { agent: 'claude', cwd: project, prompt: `RUN: ${toolCommand(round)}`, mode: 'auto' }))
        .session;
      const pending = await api.waitApproval(waiting.id);
      await waitFor(() => processesWith(toolCommand(round)).length > 0, 'the tool running');
      // Everything a client has read is acknowledged and must survive.
      for (const s of await api.get<{ sessions: Session[] }>('/sessions').then((r) => r.sessions)) acknowledged.set(s.id, await api.events(s.id));

      await kill9();
      try {
        await waitFor(() => agentsInProject().length === 0 && processesWith(toolCommand(round)).length === 0, 'every agent and its tool gone', 2000);
      } catch {
        counts.roundsWithSurvivors++;
      }
      api = await startCore();
      counts.rounds++;

      for (const [id, evs] of acknowledged) {
        const now = await api.events(id);
        for (const e of evs) {
          const same = now.find((x) => x.seq === e.seq);
          if (!same || JSON.stringify(same) !== JSON.stringify(e)) counts.eventsLost++;
        }
        const seqs = now.map((e) => e.seq);
        expect(seqs).toEqual(seqs.map((_, i) => i + 1));
      }
      for (const s of [waiting, busy]) {
        const after = await api.session(s.id);
        expect(after.state).toBe('interrupted');
        expect(after.stateReason).toMatch(/resume/);
        counts.sessionsInterrupted++;
      }
      const expired = (await api.get<{ approval: Approval }>(`/approvals/${pending.id}`)).approval;
      expect(expired.status).toBe('expired');
      expect(expired.reason).toMatch(/restarted/);
      counts.approvalsExpired++;
      const late = await api.raw('POST', `/approvals/${pending.id}/decision`, { decision: 'allow' });
      expect(late.status).toBe(409);
      expect(existsSync(join(project, `round-${round}.txt`))).toBe(false);

      // The interrupted session resumes with the agent's own session id.
      await api.post(`/sessions/${busy.id}/messages`, { text: `SAY: resumed in round ${round}` });
      await waitFor(
        async () => (await api.events(busy.id)).some((e) => e.kind === 'message' && e.payload.text === `resumed in round ${round}`),
        'the resumed answer',
      );
      counts.resumed++;
      // The resumed agent is the only one in the project: the old one died with its core.
      if (agentsInProject().length !== 1) counts.twoAgentsForOneSession++;
    }

    // Exactly one decision per approval, across every restart.
    const { entries } = await api.get<{ entries: AuditEntry[] }>('/audit?limit=1000');
    const decisions = new Map<string, number>();
    for (const e of entries)
      if (/^approval\.(decided|expired|cancelled)$/.test(e.type) && e.subject) decisions.set(e.subject, (decisions.get(e.subject) ?? 0) + 1);
    counts.doubleDecisions = [...decisions.values()].filter((n) => n > 1).length;
    const eventsByDecision = new Map<string, number>();
    for (const id of acknowledged.keys()) {
      for (const e of await api.events(id))
        if (e.kind === 'approval_decided') eventsByDecision.set(e.payload.approvalId, (eventsByDecision.get(e.payload.approvalId) ?? 0) + 1);
    }
    expect([...eventsByDecision.values()].every((n) => n === 1)).toBe(true);
    expect((await api.get<{ ok: boolean }>('/audit/verify')).ok).toBe(true);
    counts.acknowledgedEvents = [...acknowledged.values()].reduce((n, evs) => n + evs.length, 0);

    process.stdout.write(`crash-recovery: ${JSON.stringify(counts)}\n`);
    expect(counts).toMatchObject({
      rounds: ROUNDS,
      eventsLost: 0,
      doubleDecisions: 0,
      sessionsInterrupted: 2 * ROUNDS,
      approvalsExpired: ROUNDS,
      resumed: ROUNDS,
      roundsWithSurvivors: 0,
      twoAgentsForOneSession: 0,
    });
    await kill9();
    await waitFor(() => agentsInProject().length === 0, 'the last agents gone', 2000);
  }, 300_000);
});
