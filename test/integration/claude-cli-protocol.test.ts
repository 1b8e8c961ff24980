/**
 * Proves the fake Anthropic API against the REAL pinned `claude` CLI, and pins the stream-json
 * protocol facts Reins' Claude runner relies on (src-main/core/agents/claude/PROTOCOL.md).
 * Plain child_process + stream-json; stdin stays open until the final result of each scenario.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, toolResultsIn, type FakeAnthropic } from '../fakes/anthropic/index.ts';
import { claudeChildEnv } from '../helpers/claude-env.ts';
import { field, isControlRequest, isLine, startClaudeStream, type ClaudeLine, type ClaudeStream } from '../helpers/claude-stream.ts';

/**
 * The time one CLI process gets in a test, shared by every wait on it. A cold start of the CLI
 * costs about 1 s of CPU before it reads its first line; on a 2-core machine while another test
 * file starts 20 CLIs at once, one start took 18 s and a one-process test 20 s, so a fixed
 * per-step wait (it was 15 s) fails while half of the test's time is left. A test that runs two
 * processes gets twice the time.
 */
const PER_PROCESS_MS = 30_000;
/** Vitest's timeout of a test running `processes` CLIs: their time plus the teardown's. */
const timeoutFor = (processes: number): number => processes * PER_PROCESS_MS + 5_000;
const FIXTURES = new URL('../fixtures/claude/', import.meta.url);
const PINNED_VERSION = readFileSync(new URL('VERSION', FIXTURES), 'utf8').trim();

/** `type/subtype:detail` of a line: the part of the protocol a fixture pins, without values. */
function shapeOf(line: Record<string, unknown>): string {
  const subtype = typeof line['subtype'] === 'string' ? `/${line['subtype']}` : '';
  const content = field(line, 'message', 'content');
  const blocks = Array.isArray(content) ? `:${content.map((b) => String(field(b, 'type'))).join(',')}` : '';
  const request = line['type'] === 'control_request' ? `:${String(field(line, 'request', 'subtype'))}` : '';
  return `${String(line['type'])}${subtype}${blocks}${request}`;
}

/** Checks that the live CLI printed the same sequence of line shapes as the captured fixture. */
function expectFixtureShape(lines: readonly ClaudeLine[], fixture: string): void {
  const captured = readFileSync(new URL(`${fixture}.jsonl`, FIXTURES), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => shapeOf(JSON.parse(l) as Record<string, unknown>));
  expect(lines.map(shapeOf), `${fixture}.jsonl is stale: run node scripts/capture-claude-fixtures.ts`).toEqual(captured);
}

describe('real claude CLI against the fake Anthropic API', () => {
  let fake: FakeAnthropic;
  let root: string;
  let home: string;
  let project: string;
  /** When the test's waits give up: each `start()` adds `PER_PROCESS_MS`. */
  let deadline = 0;
  const running: ClaudeStream[] = [];

  beforeEach(async () => {
    deadline = Date.now();
    fake = await startFakeAnthropic();
    root = mkdtempSync(join(tmpdir(), 'reins-claude-protocol-'));
    home = join(root, 'home');
    project = join(root, 'project');
    mkdirSync(home);
    mkdirSync(project);
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((cli) => cli.kill()));
    await fake.close();
    rmSync(root, { recursive: true, force: true });
    // The CLI never sent what the real API would refuse as malformed, and with the test
    // environment it calls nothing but the Messages API (no probe, no count_tokens).
    expect(fake.requests.filter((r) => r.error?.type === 'invalid_request_error').map((r) => r.error)).toEqual([]);
    expect(fake.otherRequests).toEqual([]);
  });

  function start(args: readonly string[] = [], env: Record<string, string> = {}): ClaudeStream {
    const cli = startClaudeStream({ cwd: project, env: { ...claudeChildEnv(fake.url, home), ...env }, args });
    deadline = Math.max(deadline, Date.now()) + PER_PROCESS_MS;
    running.push(cli);
    return cli;
  }

  /** The time left to the test's waits. */
  const left = (): number => Math.max(0, deadline - Date.now());

  async function finish(cli: ClaudeStream): Promise<number | null> {
    cli.endInput();
    return cli.exited;
  }

  const result = (cli: ClaudeStream): Promise<ClaudeLine> => cli.waitFor('result', isLine('result'), left());
  const canUseTool = (cli: ClaudeStream): Promise<ClaudeLine> => cli.waitFor('can_use_tool', isControlRequest('can_use_tool'), left());
  const requestOf = (line: ClaudeLine): Record<string, unknown> => line['request'] as Record<string, unknown>;

  it('SAY: answers with the text; the pinned CLI version talks to the fake only', async () => {
    const cli = start();
    cli.sendUser('SAY: hello from the fake');
    const init = await cli.waitFor('init', isLine('system', 'init'), left());
    expect(init['claude_code_version']).toBe(PINNED_VERSION);
    expect(init['cwd']).toBe(project);
    const done = await result(cli);
    expect(done).toMatchObject({ subtype: 'success', is_error: false, result: 'hello from the fake' });
    expect(done['session_id']).toBe(init['session_id']);
    expect(await finish(cli)).toBe(0);
    expectFixtureShape(cli.lines, 'say');
    const [request] = fake.requests;
    expect(request?.url).toBe('/v1/messages?beta=true');
    expect(request?.headers['user-agent']).toContain(`claude-cli/${PINNED_VERSION}`);
    expect(request?.headers['x-api-key']).toBe('fake');
    expect(existsSync(join(home, '.claude'))).toBe(true);
  });

  it('RUN: a write asks can_use_tool; allow with updatedInput runs it', async () => {
    const cli = start();
    cli.sendUser('RUN: echo hi > x.txt');
    const ask = await canUseTool(cli);
    const request = requestOf(ask);
    expect(request).toMatchObject({
      tool_name: 'Bash',
      input: { command: 'echo hi > x.txt', description: 'Run the requested command' },
    });
    const toolUse = cli.lines.find((l) => isLine('assistant')(l) && field(l, 'message', 'content', '0', 'type') === 'tool_use');
    expect(field(toolUse, 'message', 'content', '0', 'id')).toBe(request['tool_use_id']);
    cli.respond(String(ask['request_id']), { behavior: 'allow', updatedInput: request['input'] as object });
    const done = await result(cli);
    expect(done['subtype']).toBe('success');
    expect(done['result']).toBe('Tool Bash finished. is_error=false. Output: (Bash completed with no output)');
    expect(readFileSync(join(project, 'x.txt'), 'utf8')).toBe('hi\n');
    expect(await finish(cli)).toBe(0);
    expectFixtureShape(cli.lines, 'tool-allow');
  });

  it('RUN: deny with a message reaches the model as an error tool_result', async () => {
    const cli = start();
    cli.sendUser('RUN: echo no > denied.txt');
    const ask = await canUseTool(cli);
    cli.respond(String(ask['request_id']), { behavior: 'deny', message: 'nope from test' });
    const done = await result(cli);
    expect(done['subtype']).toBe('success');
    expect(done['permission_denials']).toMatchObject([{ tool_name: 'Bash', tool_use_id: requestOf(ask)['tool_use_id'] }]);
    expect(existsSync(join(project, 'denied.txt'))).toBe(false);
    const seen = toolResultsIn(fake.requests.at(-1)?.messages);
    expect(seen).toMatchObject([{ toolName: 'Bash', isError: true, text: expect.stringContaining('nope from test') }]);
    expect(await finish(cli)).toBe(0);
    expectFixtureShape(cli.lines, 'tool-deny');
  });

  it('AskUserQuestion: allow with updatedInput.answers gives the model the chosen answer', async () => {
    const questions = [
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
    const cli = start();
    cli.sendUser(`TOOL: AskUserQuestion ${JSON.stringify({ questions })}`);
    const ask = await canUseTool(cli);
    const request = requestOf(ask);
    expect(request).toMatchObject({ tool_name: 'AskUserQuestion', input: { questions }, requires_user_interaction: true });
    cli.respond(String(ask['request_id']), {
      behavior: 'allow',
      updatedInput: { questions, answers: { 'Which build system should I use?': 'ninja' } },
    });
    const done = await result(cli);
    expect(done['subtype']).toBe('success');
    const [answer] = toolResultsIn(fake.requests.at(-1)?.messages);
    expect(answer?.toolName).toBe('AskUserQuestion');
    expect(answer?.text).toContain('"Which build system should I use?"="ninja"');
    expect(await finish(cli)).toBe(0);
    expectFixtureShape(cli.lines, 'ask-user-question');
  });

  it('ExitPlanMode: can_use_tool input is {}; the plan is in the assistant tool_use with that id', async () => {
    const cli = start(['--permission-mode', 'plan']);
    cli.sendUser('TOOL: ExitPlanMode {"plan":"1. Delete build dir\\n2. Rebuild"}');
    const ask = await canUseTool(cli);
    const request = requestOf(ask);
    expect(request).toMatchObject({ tool_name: 'ExitPlanMode', input: {}, requires_user_interaction: true });
    const toolUse = cli.lines
      .filter(isLine('assistant'))
      .flatMap((l) => field(l, 'message', 'content') as Record<string, unknown>[])
      .find((block) => block['type'] === 'tool_use' && block['id'] === request['tool_use_id']);
    expect(toolUse?.['input']).toEqual({ plan: '1. Delete build dir\n2. Rebuild' });
    cli.respond(String(ask['request_id']), { behavior: 'allow', updatedInput: {} });
    const status = await cli.waitFor('status', isLine('system', 'status'), left());
    expect(status['permissionMode']).toBe('default');
    const done = await result(cli);
    expect(done['result']).toContain('Tool ExitPlanMode finished. is_error=false.');
    expect(await finish(cli)).toBe(0);
    expectFixtureShape(cli.lines, 'plan');
  });

  it('interrupt during a SLOW answer ends the turn with error_during_execution; the next prompt runs', async () => {
    const cli = start();
    cli.sendUser('SLOW: 3000 a long answer that will be interrupted');
    await fake.waitForRequests(1, left());
    const id = cli.request('interrupt');
    const ack = await cli.waitFor('interrupt response', isLine('control_response'), left());
    expect(ack['response']).toMatchObject({ subtype: 'success', request_id: id, response: { still_queued: [] } });
    const interrupted = await result(cli);
    expect(interrupted).toMatchObject({ subtype: 'error_during_execution', is_error: true });
    cli.sendUser('SAY: after interrupt');
    const done = await result(cli);
    expect(done).toMatchObject({ subtype: 'success', result: 'after interrupt' });
    expect(JSON.stringify(fake.requests.at(-1)?.messages)).toContain('[Request interrupted by user]');
    expect(await finish(cli)).toBe(0);
  });

  it('interrupt while can_use_tool is pending cancels the request', async () => {
    const cli = start();
    cli.sendUser('RUN: rm -rf ./build');
    const ask = await canUseTool(cli);
    cli.request('interrupt');
    const cancel = await cli.waitFor('control_cancel_request', isLine('control_cancel_request'), left());
    expect(cancel['request_id']).toBe(ask['request_id']);
    expect(await result(cli)).toMatchObject({ subtype: 'error_during_execution', is_error: true });
    expect(await finish(cli)).toBe(1);
    expectFixtureShape(cli.lines, 'interrupt-pending-tool');
  });

  it('prompts written during a turn are queued and answered as separate turns', async () => {
    const cli = start();
    cli.sendUser('SAY: first');
    cli.sendUser('SAY: second (queued)');
    expect((await result(cli))['result']).toBe('first');
    expect((await result(cli))['result']).toBe('second (queued)');
    expect(await finish(cli)).toBe(0);
    expectFixtureShape(cli.lines, 'queued');
  });

  it('--resume <session_id> continues the conversation in a new process', { timeout: timeoutFor(2) }, async () => {
    const first = start();
    first.sendUser('SAY: remember the word walnut');
    const firstResult = await result(first);
    expect(await finish(first)).toBe(0);
    const sessionId = String(firstResult['session_id']);

    const second = start(['--resume', sessionId]);
    second.sendUser('SAY: resumed');
    const done = await result(second);
    expect(done).toMatchObject({ subtype: 'success', result: 'resumed', session_id: sessionId });
    expect(await finish(second)).toBe(0);
    expectFixtureShape(second.lines, 'resume');
    const history = JSON.stringify(fake.requests.at(-1)?.messages);
    expect(history).toContain('SAY: remember the word walnut');
    expect(history).toContain('SAY: resumed');
  });

  it('BREAK: a stream cut by an overloaded_error is asked again at once without streaming, silently', async () => {
    const cli = start();
    cli.sendUser('BREAK: overloaded 1\nSAY: after the break');
    const done = await result(cli);
    expect(done).toMatchObject({ subtype: 'success', is_error: false, result: 'after the break' });
    expect(fake.requests.map((r) => ({ stream: r.stream, status: r.status, error: r.error?.type ?? null }))).toEqual([
      { stream: true, status: 200, error: 'overloaded_error' },
      { stream: false, status: 200, error: null },
    ]);
    // No `system/api_retry` line: the host sees one ordinary turn.
    expect(cli.lines.filter(isLine('system', 'api_retry'))).toEqual([]);
    expect(await finish(cli)).toBe(0);
  });

  it('FAIL with retry-after: the CLI waits as long as the header says before it asks again', async () => {
    const cli = start();
    cli.sendUser('FAIL: 529 1 retry-after=1\nSAY: after the wait');
    const retry = await cli.waitFor('api_retry', isLine('system', 'api_retry'), left());
    expect(retry).toMatchObject({ attempt: 1, error_status: 529, error: 'overloaded' });
    // Without the header the first retry waits about 0.5 s (see the api-retry fixture's capture).
    expect(retry['retry_delay_ms']).toBeGreaterThanOrEqual(1000);
    expect(await result(cli)).toMatchObject({ subtype: 'success', result: 'after the wait' });
    expect(fake.requests.map((r) => r.status)).toEqual([529, 200]);
    expect(await finish(cli)).toBe(0);
  });

  it('a wrong API key gets the real 401, which the CLI reports as authentication_failed', async () => {
    const cli = start([], { ANTHROPIC_API_KEY: 'sk-ant-not-the-fake-key' });
    cli.sendUser('SAY: never answered');
    const retry = await cli.waitFor('api_retry', isLine('system', 'api_retry'), left());
    expect(retry).toMatchObject({ attempt: 1, error_status: 401, error: 'authentication_failed' });
    expect(fake.requests[0]).toMatchObject({ status: 401, error: { type: 'authentication_error', message: 'invalid x-api-key' } });
  });
});
