/**
 * Descriptors of ACP agents: each built-in one (gemini/, opencode/, copilot/, qwen/, cursor/) is
 * a few fields and the arguments that start its ACP server; an agent the owner declares in
 * `config.agents.<id> = { protocol: 'acp', bin, args, displayName }` gets one from
 * {@link declaredAcpAgent}.
 */
import type { AgentCapabilities, AgentId } from '../../../contract/index.ts';
import type { AgentConfig } from '../../host/config.ts';
import type { AgentDescriptor } from '../registry.ts';
import { ACP_CAPABILITIES, createAcpRunner } from './acp-runner.ts';

/** What differs between ACP agents. */
export interface AcpAgentSpec {
  id: AgentId;
  displayName: string;
  defaultBin: string;
  /** Arguments that start the agent's ACP server on stdio (`--acp`, `acp`, …); the owner's `args` follow. */
  acpArgs: readonly string[];
  installHint: string;
  versionArgs?: readonly string[];
  /** False when Reins' tests do not run this agent. */
  tested: boolean;
  capabilities?: Partial<AgentCapabilities>;
  /** Adjusts a run's environment, given the agent's private folder (see AcpRunnerOptions.prepareEnv). */
  prepareEnv?: (env: Record<string, string>, stateDir: string) => Record<string, string>;
  /** See AcpRunnerOptions.asksAboutEveryCall. */
  asksAboutEveryCall?: boolean;
}

/** The registry descriptor of an ACP agent, run by the shared ACP runner. */
export function acpDescriptor(spec: AcpAgentSpec): AgentDescriptor {
  const capabilities = { ...ACP_CAPABILITIES, ...spec.capabilities };
  return {
    id: spec.id,
    displayName: spec.displayName,
    defaultBin: spec.defaultBin,
    installHint: spec.installHint,
    versionArgs: spec.versionArgs ?? ['--version'],
    capabilities,
    tested: spec.tested,
    createRunner: (ctx) =>
      createAcpRunner({
        agent: ctx.id,
        bin: ctx.bin,
        args: [...spec.acpArgs, ...ctx.config.args],
        capabilities,
        maxLineBytes: ctx.maxLineBytes,
        ...(ctx.spawn ? { spawn: ctx.spawn } : {}),
        ...(spec.prepareEnv ? { prepareEnv: (env: Record<string, string>) => spec.prepareEnv!(env, ctx.stateDir) } : {}),
        ...(spec.asksAboutEveryCall ? { asksAboutEveryCall: true } : {}),
      }),
  };
}

/**
 * The descriptor of an agent declared in config (`protocol: 'acp'`), or null for a declaration
 * Reins cannot run. Its `args` are the whole command line after `bin` (Reins cannot know the
 * agent's own ACP switch); its binary is required, since there is no default to fall back on.
 */
export function declaredAcpAgent(id: AgentId, config: AgentConfig): AgentDescriptor | null {
  if (config.protocol !== 'acp' || config.bin === undefined) return null;
  const d = acpDescriptor({
    id,
    displayName: config.displayName ?? id,
    defaultBin: config.bin,
    acpArgs: [],
    installHint: `install the agent, or fix agents.${id}.bin in config.json`,
    tested: false,
  });
  return d;
}
