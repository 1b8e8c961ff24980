/**
 * Risk classification of an agent's tool call, the input policy uses to decide what runs without
 * the owner. It only ever adds findings: callers combine it with other assessments through
 * {@link raiseRisk}, which can raise a request's risk but never lower it.
 */
import path from 'node:path';
import type { Risk, ToolAction } from '../../contract/index.ts';
import type { Finding } from './risk-model.ts';
import { toRisk } from './risk-model.ts';
import type { PathProbe } from './paths.ts';
import { realDirectory } from './paths.ts';
import type { PathEnv } from './path-findings.ts';
import { classifyShellCommand } from './risk-shell.ts';
import { classifyAction } from './risk-tools.ts';

export { raiseRisk } from './risk-model.ts';

/** Where the call runs. */
export interface ClassifyContext {
  /** The session's project directory (absolute). */
  projectDir: string;
  /** The owner's home directory. */
  homeDir: string;
  /**
   * Follows symlinks (pass `fsPathProbe`). Without it a symlink inside the project that points
   * outside is judged by where it sits, not where it leads.
   */
  probe?: PathProbe;
  /** Reins' own locations (data directory, runtime file): any access is tagged `reins`. */
  protectedPaths?: readonly string[];
  /** Reins' API ports on the loopback interface: any connection to them is tagged `reins`. */
  protectedPorts?: readonly number[];
}

function shellFindings(action: ToolAction, env: PathEnv, projectDir: string): Finding[] {
  if (action.command === undefined) {
    return [{ tag: null, level: 'high', reason: 'cannot be analysed: the command is missing or not text' }];
  }
  const findings = classifyShellCommand(action.command, env, projectDir);
  if (action.escalated === true) {
    findings.push({ tag: 'privilege', level: 'high', reason: "asks to run outside the agent's sandbox" });
  }
  return findings;
}

/**
 * Classifies one tool call. Levels: `low` = read-only inside the project; `medium` = writes
 * inside the project or unknown tools/programs; `high` = destructive, network, outside the
 * project, secrets, or anything that cannot be analysed; `critical` = privilege, destruction
 * outside the project (`rm -rf ~`), network output piped into a shell (`curl … | sh`).
 */
export function classifyToolCall(action: ToolAction, ctx: ClassifyContext): Risk {
  const projectDir = path.resolve(ctx.projectDir);
  const env: PathEnv = {
    homeDir: path.resolve(ctx.homeDir),
    realProject: realDirectory(projectDir, ctx.probe),
    realHome: realDirectory(ctx.homeDir, ctx.probe),
    ...(ctx.probe ? { probe: ctx.probe } : {}),
    ...(ctx.protectedPaths ? { protectedPaths: ctx.protectedPaths } : {}),
    ...(ctx.protectedPorts ? { protectedPorts: ctx.protectedPorts } : {}),
  };
  const findings = action.kind === 'shell' ? shellFindings(action, env, projectDir) : classifyAction(action, env, projectDir);
  return toRisk(findings);
}
