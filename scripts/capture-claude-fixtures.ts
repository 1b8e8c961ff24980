/**
 * Regenerates test/fixtures/claude/*.jsonl: the stdout lines of the REAL pinned `claude` CLI
 * (stream-json) in each protocol scenario, driven against the fake Anthropic API.
 * Volatile values (uuids, message/tool ids, timestamps, temp paths, timings) are replaced by
 * stable placeholders so a re-capture diffs cleanly.
 *
 *   node scripts/capture-claude-fixtures.ts
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { startFakeAnthropic, type FakeAnthropic } from '../test/fakes/anthropic/index.ts';
import { claudeChildEnv } from '../test/helpers/claude-env.ts';
import { field, isControlRequest, isLine, startClaudeStream, type ClaudeLine, type ClaudeStream } from '../test/helpers/claude-stream.ts';

const OUT_DIR = fileURLToPath(new URL('../test/fixtures/claude/', import.meta.url));
const WAIT_MS = 20_000;
const FIXTURE_ROOT = '/fixture';
const pinned = readFileSync(join(OUT_DIR, 'VERSION'), 'utf8').trim();

interface Context {
  /** Starts a CLI in the scenario's project with the fixture env. */
  start(args?: readonly string[]): ClaudeStream;
  fake: FakeAnthropic;
}

/** A scenario drives the CLI and returns the process whose stdout becomes the fixture. */
interface Scenario {
  name: string;
  drive(ctx: Context): Promise<ClaudeStream>;
}

const QUESTIONS = [
  {
    question: 'Which build system should I use?',
    header: 'Build',
    options: [
      { label: 'make', description: 'Use GNU make' },
      { label: 'ninja', description: 'Use ninja' },
    ],
    multiSelect: false,
  },
];

const result = (cli: ClaudeStream): Promise<ClaudeLine> => cli.waitFor('result', isLine('result'), WAIT_MS);
const canUseTool = (cli: ClaudeStream): Promise<ClaudeLine> => cli.waitFor('can_use_tool', isControlRequest('can_use_tool'), WAIT_MS);

async function oneTurn(cli: ClaudeStream, prompt: string): Promise<ClaudeStream> {
  cli.sendUser(prompt);
  await result(cli);
  return cli;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'say', drive: (ctx) => oneTurn(ctx.start(), 'SAY: hello from the fake') },
  {
    name: 'tool-allow',
    async drive(ctx) {
      const cli = ctx.start();
      cli.sendUser('RUN: echo hi > x.txt');
      const ask = await canUseTool(cli);
      cli.respond(String(ask['request_id']), { behavior: 'allow', updatedInput: field(ask, 'request', 'input') as object });
      await result(cli);
      return cli;
    },
  },
  {
    name: 'tool-deny',
    async drive(ctx) {
      const cli = ctx.start();
      cli.sendUser('RUN: rm -rf ./build');
      const ask = await canUseTool(cli);
      cli.respond(String(ask['request_id']), { behavior: 'deny', message: 'nope from test' });
      await result(cli);
      return cli;
    },
  },
  {
    name: 'ask-user-question',
    async drive(ctx) {
      const cli = ctx.start();
      cli.sendUser(`TOOL: AskUserQuestion ${JSON.stringify({ questions: QUESTIONS })}`);
      const ask = await canUseTool(cli);
      cli.respond(String(ask['request_id']), {
        behavior: 'allow',
        updatedInput: { questions: QUESTIONS, answers: { 'Which build system should I use?': 'make' } },
      });
      await result(cli);
      return cli;
    },
  },
  {
    name: 'plan',
    async drive(ctx) {
      const cli = ctx.start(['--permission-mode', 'plan']);
      cli.sendUser('TOOL: ExitPlanMode {"plan":"1. Delete build dir\\n2. Rebuild"}');
      const ask = await canUseTool(cli);
      cli.respond(String(ask['request_id']), { behavior: 'allow', updatedInput: {} });
      await result(cli);
      return cli;
    },
  },
  {
    name: 'interrupt',
    async drive(ctx) {
      const cli = ctx.start();
      // 10 deltas 400 ms apart: interrupting after 1 s leaves two of them streamed, so the
      // fixture shows the partial assistant line the CLI prints for an interrupted answer.
      cli.sendUser('SLOW: 4000 a long answer that will be interrupted');
      await ctx.fake.waitForRequests(1, WAIT_MS);
      await delay(1000);
      cli.request('interrupt');
      await result(cli);
      return oneTurn(cli, 'SAY: after interrupt');
    },
  },
  {
    name: 'interrupt-pending-tool',
    async drive(ctx) {
      const cli = ctx.start();
      cli.sendUser('RUN: rm -rf ./build');
      await canUseTool(cli);
      cli.request('interrupt');
      await result(cli);
      return cli;
    },
  },
  {
    name: 'queued',
    async drive(ctx) {
      const cli = ctx.start();
      cli.sendUser('SAY: first');
      cli.sendUser('SAY: second (queued)');
      await result(cli);
      await result(cli);
      return cli;
    },
  },
  {
    name: 'resume',
    async drive(ctx) {
      const first = await oneTurn(ctx.start(), 'SAY: remember the word walnut');
      const sessionId = String(first.lines.find(isLine('result'))?.['session_id']);
      first.endInput();
      await first.exited;
      return oneTurn(ctx.start(['--resume', sessionId]), 'SAY: resumed');
    },
  },
  { name: 'api-retry', drive: (ctx) => oneTurn(ctx.start(), 'FAIL: 529 1\nSAY: after one retry') },
  { name: 'api-error', drive: (ctx) => oneTurn(ctx.start(), 'FAIL: 400') },
];

/** Replaces volatile values with stable placeholders, consistently within one fixture. */
function normalizer(root: string): (line: ClaudeLine) => unknown {
  const ids = new Map<string, string>();
  const stable = (kind: string, value: string, make: (n: number) => string): string => {
    const key = `${kind}:${value}`;
    let mapped = ids.get(key);
    if (mapped === undefined) {
      mapped = make([...ids.keys()].filter((k) => k.startsWith(`${kind}:`)).length + 1);
      ids.set(key, mapped);
    }
    return mapped;
  };
  const pad = (n: number, width: number): string => String(n).padStart(width, '0');
  const sanitizedRoot = root.replace(/[^a-zA-Z0-9]/g, '-');
  const text = (value: string): string =>
    value
      .split(root)
      .join(FIXTURE_ROOT)
      .split(sanitizedRoot)
      .join(FIXTURE_ROOT.replace(/[^a-zA-Z0-9]/g, '-'))
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, (u) => stable('uuid', u, (n) => `00000000-0000-4000-8000-${pad(n, 12)}`))
      .replace(/\b(msg|toolu|req)_[0-9a-f]{24}\b/g, (id, kind: string) => stable(kind, id, (n) => `${kind}_${pad(n, 24)}`))
      .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '2026-01-01T00:00:00.000Z')
      .replace(/(\.claude\/plans\/)[^/"\s]+\.md/g, '$1plan.md')
      .replace(/\/\d+\.sock\b/g, '/0.sock');
  const walk = (value: unknown, key: string): unknown => {
    if (typeof value === 'string') return text(value);
    // Timings differ on every run; the fixtures keep the field, not the number.
    if (typeof value === 'number' && /(_ms|Ms)$/.test(key)) return 0;
    if (Array.isArray(value)) return value.map((v) => walk(v, key));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    }
    return value;
  };
  return (line) => walk(line, '');
}

async function capture(scenario: Scenario): Promise<number> {
  const fake = await startFakeAnthropic();
  const root = mkdtempSync(join(tmpdir(), 'reins-fixture-'));
  const project = join(root, 'project');
  const home = join(root, 'home');
  mkdirSync(project);
  mkdirSync(home);
  const started: ClaudeStream[] = [];
  try {
    const recorded = await scenario.drive({
      fake,
      start(args = []) {
        const cli = startClaudeStream({ cwd: project, env: claudeChildEnv(fake.url, home), args });
        started.push(cli);
        return cli;
      },
    });
    recorded.endInput();
    await recorded.exited;
    const version = recorded.lines.find(isLine('system', 'init'))?.['claude_code_version'];
    if (version !== pinned) {
      throw new Error(`The CLI reported version ${String(version)}, but test/fixtures/claude/VERSION pins ${pinned}.`);
    }
    const normalize = normalizer(root);
    const body = recorded.lines.map((line) => JSON.stringify(normalize(line))).join('\n');
    writeFileSync(join(OUT_DIR, `${scenario.name}.jsonl`), `${body}\n`);
    return recorded.lines.length;
  } finally {
    await Promise.all(started.map((cli) => cli.kill()));
    await fake.close();
    rmSync(root, { recursive: true, force: true });
  }
}

for (const scenario of SCENARIOS) {
  const count = await capture(scenario);
  process.stdout.write(`${scenario.name}.jsonl: ${count} lines\n`);
}
process.stdout.write(`captured with claude ${pinned}\n`);
