/**
 * The agent registry: one descriptor per agent. Adding an agent is one folder under `agents/` and
 * one entry in {@link BUILTIN_AGENTS} (see docs/ADD-AN-AGENT.md); the core, doctor, the API and every
 * surface read the descriptors and never name an agent themselves.
 */
import type { AgentCapabilities, AgentId } from '../../contract/index.ts';
import type { AgentConfig, ReinsConfig } from '../host/config.ts';
import { claudeDescriptor } from './claude/descriptor.ts';
import { codexDescriptor } from './codex/descriptor.ts';
import { copilotDescriptor } from './copilot/descriptor.ts';
import { cursorDescriptor } from './cursor/descriptor.ts';
import { geminiDescriptor } from './gemini/descriptor.ts';
import { opencodeDescriptor } from './opencode/descriptor.ts';
import { qwenDescriptor } from './qwen/descriptor.ts';
import { terminalDescriptor } from './terminal/descriptor.ts';
import type { AgentRunner, SpawnFn } from './runner.ts';

/** What a runner factory gets: the resolved binary and the owner's settings for this agent. */
interface RunnerContext {
  id: AgentId;
  /** Executable from config, `REINS_<ID>_BIN`, or the descriptor's default; a bare name is looked up on PATH. */
  bin: string;
  config: AgentConfig;
  maxLineBytes: number;
  spawn?: SpawnFn;
  /** A private folder (in the data directory) for files Reins writes for this agent. */
  stateDir: string;
}

export interface AgentDescriptor {
  id: AgentId;
  displayName: string;
  /** The executable's usual name on PATH. */
  defaultBin: string;
  /** One line saying how to install it. */
  installHint: string;
  /** Arguments that print the version and exit. */
  versionArgs: readonly string[];
  capabilities: AgentCapabilities;
  /** False when Reins' own tests could not run this agent (not installable here); surfaces say so. */
  tested: boolean;
  createRunner(ctx: RunnerContext): AgentRunner;
}

/** Every agent Reins knows without configuration, in the order surfaces list them. */
export const BUILTIN_AGENTS: readonly AgentDescriptor[] = [
  claudeDescriptor,
  codexDescriptor,
  geminiDescriptor,
  opencodeDescriptor,
  copilotDescriptor,
  qwenDescriptor,
  cursorDescriptor,
  terminalDescriptor,
];

/** The environment variable that overrides an agent's binary: `REINS_CLAUDE_BIN`, `REINS_MY_AGENT_BIN`. */
export const binEnvName = (id: AgentId): string => `REINS_${id.toUpperCase().replace(/-/g, '_')}_BIN`;

/** An agent as configured on this machine: its descriptor and the binary it will run. */
export interface ResolvedAgent {
  descriptor: AgentDescriptor;
  bin: string;
  config: AgentConfig;
}

/**
 * The agents this configuration offers: the built-ins, plus any agent the owner declared in
 * `config.agents` that a descriptor factory (`declared`) knows how to run. The binary comes from
 * `REINS_<ID>_BIN`, then `agents.<id>.bin`, then the descriptor's default.
 */
export function resolveAgents(
  config: ReinsConfig,
  env: NodeJS.ProcessEnv,
  declared: (id: AgentId, c: AgentConfig) => AgentDescriptor | null = () => null,
  builtins: readonly AgentDescriptor[] = BUILTIN_AGENTS,
): Map<AgentId, ResolvedAgent> {
  const out = new Map<AgentId, ResolvedAgent>();
  const known = new Set(builtins.map((d) => d.id));
  const descriptors = [...builtins];
  for (const [id, c] of Object.entries(config.agents)) {
    if (known.has(id)) continue;
    const d = declared(id, c);
    if (d !== null) descriptors.push(d);
  }
  for (const d of descriptors) {
    const c = config.agents[d.id] ?? { args: [], env: {} };
    out.set(d.id, { descriptor: d, config: c, bin: env[binEnvName(d.id)] || c.bin || d.defaultBin });
  }
  return out;
}
