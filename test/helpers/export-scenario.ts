/**
 * A turn for transcript tests: the owner writes from the phone, the agent runs a shell command whose
 * output holds secrets (a known token format and a project .env value), edits a file, asks a question
 * the owner answers from Telegram, has a risky call allowed from the desktop, and answers in Markdown
 * that tries to be markup (a script, an image from the network).
 */
import type { ToolAction } from '../../src-main/contract/action.ts';
import type { NewEvent } from '../../src-main/contract/events.ts';
import type { StoredApproval } from '../../src-main/core/store/index.ts';
import { ENV_FILES, SECRET_SAMPLES } from './secret-samples.ts';

const github = SECRET_SAMPLES.find((s) => s.name === 'GitHub OAuth token')!;
/** The secrets the scenario's output holds; none may appear in any export. */
export const SCENARIO_SECRETS = [github.secret, /DB_PASSWORD=(.+)/.exec(ENV_FILES['packages/api/.env']!)![1]!];

const shell = (command: string): ToolAction => ({ kind: 'shell', tool: 'Bash', title: command, command, input: { command } });
const edit: ToolAction = {
  kind: 'edit',
  tool: 'Edit',
  title: 'edit src/app.ts',
  paths: ['src/app.ts'],
  edits: [{ path: 'src/app.ts', oldText: 'export const app = 1;', newText: 'export const app = 2;' }],
  input: { file_path: 'src/app.ts' },
};
const question: ToolAction = {
  kind: 'question',
  tool: 'AskUserQuestion',
  title: 'Which database?',
  questions: [{ question: 'Which database should the tests use?', options: [{ label: 'SQLite', description: 'in memory' }, { label: 'Postgres' }] }],
  input: {},
};
const risky = shell('rm -rf build');
const risk = { level: 'high' as const, tags: [], reasons: ['deletes files recursively (rm -rf)'] };

/** The scenario's events. */
export const SCENARIO_EVENTS: NewEvent[] = [
  { kind: 'followup', payload: { followupId: 'fx', text: 'Check the deployment config', delivery: 'queue', state: 'sent', source: 'telegram' } },
  { kind: 'status', payload: { state: 'running', turn: 'started' } },
  { kind: 'tool_call', payload: { toolUseId: 'sx', tool: 'Bash', input: { command: 'cat deploy.log' }, action: shell('cat deploy.log') } },
  {
    kind: 'tool_result',
    payload: { toolUseId: 'sx', isError: false, text: `${github.text}\nDB_PASSWORD=${SCENARIO_SECRETS[1]}\ndeploy ok\n`, truncated: false },
  },
  { kind: 'tool_call', payload: { toolUseId: 'ex', tool: 'Edit', input: edit.input, action: edit } },
  { kind: 'tool_result', payload: { toolUseId: 'ex', isError: false, text: 'edited', truncated: false } },
  { kind: 'tool_call', payload: { toolUseId: 'qx', tool: 'AskUserQuestion', input: {}, action: question } },
  {
    kind: 'approval_requested',
    payload: { approvalId: 'apq', handle: 'qqqqqqqq', kind: 'question', tool: 'AskUserQuestion', input: {}, action: question, risk, expiresAt: 0 },
  },
  { kind: 'approval_decided', payload: { approvalId: 'apq', status: 'allowed', decidedBy: 'telegram:42', surface: 'telegram', reason: 'answered' } },
  {
    kind: 'approval_requested',
    payload: { approvalId: 'apr', handle: 'rrrrrrrr', kind: 'tool', tool: 'Bash', input: risky.input, action: risky, risk, expiresAt: 0 },
  },
  { kind: 'approval_decided', payload: { approvalId: 'apr', status: 'allowed', decidedBy: 'desktop-client', surface: 'desktop', reason: 'allowed once' } },
  {
    kind: 'message',
    payload: {
      role: 'assistant',
      text: 'Done. <script>alert(1)</script> ![x](http://127.0.0.1:9/pixel.png) <img src="http://127.0.0.1:9/i.png">\n\n- **fixed**',
    },
  },
  { kind: 'usage', payload: { costUsd: 0.5, inputTokens: 4000, outputTokens: 900, durationMs: 12_000 } },
  { kind: 'status', payload: { state: 'idle', turn: 'ended' } },
];

const approval = (id: string, action: ToolAction, extra: Partial<StoredApproval>): Omit<StoredApproval, 'sessionId'> => ({
  id,
  handle: id.padEnd(8, 'x'),
  kind: action.kind === 'question' ? 'question' : 'tool',
  tool: action.tool,
  input: action.input,
  action,
  plan: null,
  questions: action.questions ?? null,
  risk,
  status: 'allowed',
  decidedBy: 'telegram:42',
  surface: 'telegram',
  reason: 'answered',
  message: null,
  answers: null,
  grantOffer: null,
  createdAt: 0,
  decidedAt: 0,
  expiresAt: 0,
  agentRequestId: id,
  toolUseId: null,
  ...extra,
});

/** The scenario's approvals as the store holds them (the question's answer lives there). */
export const SCENARIO_APPROVALS = [
  approval('apq', question, { answers: { 'Which database should the tests use?': 'SQLite' } }),
  approval('apr', risky, { decidedBy: 'desktop-client', surface: 'desktop', reason: 'allowed once' }),
];
