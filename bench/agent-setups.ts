/**
 * The real `codex`, `gemini` and `opencode` CLIs (pinned in package.json) as the agent benches run
 * them: offline against the project's fake model servers, each behind a {@link ModelTap}, with the
 * setup Reins' tests use (test/helpers/codex-env.ts, acp-env.ts), and each CLI's own way of
 * running without Reins: a bare protocol client, asking nothing when `autoApprove` is set.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AgentId } from '../src-main/contract/index.ts';
import { startFakeChat } from '../test/fakes/chat-completions/server.ts';
import { startFakeGemini } from '../test/fakes/gemini-api/server.ts';
import { FAKE_OPENAI_KEY, startFakeResponses } from '../test/fakes/openai-responses/index.ts';
import { geminiEnv, opencodeEnv, pinnedBin } from '../test/helpers/acp-env.ts';
import { codexBin, codexChildEnv, writeCodexConfig } from '../test/helpers/codex-env.ts';
import type { ModelWire, TappedRequest } from './model-tap.ts';
import { startRawAcp } from './raw-acp.ts';
import { startRawCodex } from './raw-codex.ts';

/** The CLI run without Reins, one conversation. */
export interface RawAgent {
  /** Runs one prompt to its end; resolves with how many times the CLI asked for permission. */
  turn(text: string): Promise<number>;
  close(): Promise<void>;
}

/** A fake model server the CLI is pointed at through a tap. */
interface Fake {
  /** Where the fake listens, e.g. `http://127.0.0.1:40000`. */
  origin: string;
  /** The key it accepts. */
  apiKey: string;
  close(): Promise<void>;
}

export interface AgentSetup {
  id: AgentId;
  /** How the CLI is driven, for figure labels ("codex app-server"). */
  wireName: string;
  /** How its floor asks nothing, for figure labels. */
  autoApproveName: string;
  /** The binary Reins is configured with. */
  bin(): string;
  startFake(): Promise<Fake>;
  /** Writes the CLI's configuration under `agentHome` pointing at the tap's origin (in front of `fake`); returns the CLI's environment. */
  env(tapOrigin: string, fake: Fake, agentHome: string, autoApprove: boolean): Record<string, string>;
  /** Starts the raw CLI in `cwd`; with `autoApprove`, in its own mode that asks for nothing. */
  startRaw(cwd: string, env: Record<string, string>, autoApprove: boolean): Promise<RawAgent>;
  wire: ModelWire;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const pathOf = (r: TappedRequest): string => new URL(r.path, 'http://tap.invalid').pathname;

/** Codex over `codex app-server`; its floor is the thread's approval policy `never` in the same sandbox. */
const codex: AgentSetup = {
  id: 'codex',
  wireName: 'codex app-server',
  autoApproveName: 'approval policy "never", same workspace-write sandbox',
  bin: codexBin,
  async startFake() {
    const fake = await startFakeResponses();
    return { origin: new URL(fake.baseUrl).origin, apiKey: FAKE_OPENAI_KEY, close: () => fake.close() };
  },
  env(tapOrigin, _fake, agentHome) {
    // codexChildEnv sets the key the fake accepts.
    const codexHome = join(agentHome, '.codex');
    writeCodexConfig(codexHome, `${tapOrigin}/v1`);
    return codexChildEnv(codexHome, agentHome);
  },
  async startRaw(cwd, env, autoApprove) {
    // Reins' own thread settings (codex-runner.ts) unless auto-approving.
    const raw = await startRawCodex(cwd, env, { approvalPolicy: autoApprove ? 'never' : 'untrusted', sandbox: 'workspace-write' });
    return { turn: async (text) => (await raw.turn(text)).approvals, close: () => raw.close() };
  },
  wire: {
    isModelTurn: (r) => pathOf(r) === '/v1/responses' && Array.isArray(r.body?.['input']),
    carriesToolResult: (r) => {
      const type = (list(r.body?.['input']).at(-1) as Json | undefined)?.['type'];
      return type === 'function_call_output' || type === 'custom_tool_call_output';
    },
  },
};

/** Gemini CLI over ACP (`gemini --acp`, as gemini/descriptor.ts starts it); its floor is the session mode `yolo`. */
const gemini: AgentSetup = {
  id: 'gemini',
  wireName: 'gemini --acp',
  autoApproveName: 'session mode "yolo", with --skip-trust',
  bin: () => pinnedBin('gemini'),
  async startFake() {
    const fake = await startFakeGemini();
    return { origin: fake.url, apiKey: fake.apiKey, close: () => fake.close() };
  },
  env: (tapOrigin, fake, agentHome) => geminiEnv(tapOrigin, fake.apiKey, agentHome),
  async startRaw(cwd, env, autoApprove) {
    // Gemini refuses "yolo" in a folder it does not trust; --skip-trust trusts this one for the session.
    const raw = autoApprove
      ? await startRawAcp(pinnedBin('gemini'), ['--acp', '--skip-trust'], cwd, env, 'yolo')
      : await startRawAcp(pinnedBin('gemini'), ['--acp'], cwd, env);
    return { turn: async (text) => (await raw.turn(text)).permissions, close: () => raw.close() };
  },
  wire: {
    isModelTurn: (r) => pathOf(r).endsWith(':streamGenerateContent'),
    carriesToolResult: (r) => {
      const last = list(r.body?.['contents']).at(-1);
      return isObj(last) && list(last['parts']).some((p) => isObj(p) && p['functionResponse'] !== undefined);
    },
  },
};

/** OpenCode over ACP (`opencode acp`, as opencode/descriptor.ts starts it); its floor is `permission: allow` in its config. */
const opencode: AgentSetup = {
  id: 'opencode',
  wireName: 'opencode acp',
  autoApproveName: 'config permission "allow" for bash and edit',
  bin: () => pinnedBin('opencode'),
  async startFake() {
    const fake = await startFakeChat();
    return { origin: new URL(fake.url).origin, apiKey: fake.apiKey, close: () => fake.close() };
  },
  env(tapOrigin, fake, agentHome, autoApprove) {
    const env = opencodeEnv(`${tapOrigin}/v1`, fake.apiKey, agentHome);
    if (autoApprove) {
      const file = join(agentHome, '.config', 'opencode', 'opencode.json');
      const config = JSON.parse(readFileSync(file, 'utf8')) as Json;
      writeFileSync(file, JSON.stringify({ ...config, permission: { bash: 'allow', edit: 'allow' } }, null, 2));
    }
    return env;
  },
  async startRaw(cwd, env) {
    // Auto-approval is in the config env() wrote; the command line is Reins' own.
    const raw = await startRawAcp(pinnedBin('opencode'), ['acp'], cwd, env);
    return { turn: async (text) => (await raw.turn(text)).permissions, close: () => raw.close() };
  },
  wire: {
    isModelTurn: (r) => pathOf(r) === '/v1/chat/completions' && list(r.body?.['tools']).length > 0,
    carriesToolResult: (r) => (list(r.body?.['messages']).at(-1) as Json | undefined)?.['role'] === 'tool',
  },
};

/** The agents the per-agent benches run, by id. */
export const AGENT_SETUPS = { codex, gemini, opencode } as const;
