import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { HOOK_AGENTS, isHookAgent, type HookAgent } from '../../hooks/hook-agents.ts';
import { hookCommand, hookSettingsSpec, type HookSettingsSpec } from '../../hooks/install/hook-settings.ts';
import { installHooks, uninstallHooks } from '../../hooks/install/install-hooks.ts';
import { HookSettingsError } from '../../hooks/install/settings-edit.ts';
import { CliError } from '../client.ts';

/** Reins' launcher, whose `hook` word starts the small hook client (same place from src-main/ and out/). */
const LAUNCHER = fileURLToPath(new URL('../../../bin/reins.js', import.meta.url));

function specFor(agentName: string | undefined, home: string, project: string | undefined, env: NodeJS.ProcessEnv): HookSettingsSpec {
  if (!agentName || !isHookAgent(agentName)) throw new CliError(`Name the agent: reins hooks install|uninstall <${HOOK_AGENTS.join('|')}> [--project DIR]`, 2);
  const agent: HookAgent = agentName;
  const command = hookCommand(agent, { node: process.execPath, launcher: LAUNCHER, home });
  return hookSettingsSpec(agent, { env, command, ...(project ? { project: resolve(project) } : {}) });
}

const settingsError = (err: unknown): never => {
  if (err instanceof HookSettingsError) throw new CliError(err.message);
  throw err;
};

/** `reins hooks install <agent> [--project DIR]`: puts Reins' hook into the agent's own settings. */
export function hooksInstallCommand(agentName: string | undefined, home: string, project: string | undefined, env: NodeJS.ProcessEnv): number {
  const spec = specFor(agentName, home, project, env);
  let r;
  try {
    r = installHooks(spec);
  } catch (err) {
    return settingsError(err);
  }
  const out = [
    r.changed
      ? `Installed the Reins hook for ${spec.agent} in ${r.path}${r.created ? ' (new file)' : ''}.`
      : `The Reins hook for ${spec.agent} is already in ${r.path}; nothing changed.`,
    ...(r.changed && r.backupPath ? [`The file as it was is in ${r.backupPath}.`] : []),
    `Each tool call of ${spec.agent} now waits for Reins' policy and your approvals; while Reins is not running, the hook denies every call.`,
    ...spec.notes,
    `Remove it with \`reins hooks uninstall ${spec.agent}${project ? ` --project ${resolve(project)}` : ''}\`.`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

/** `reins hooks uninstall <agent> [--project DIR]`: takes out exactly what install added. */
export function hooksUninstallCommand(agentName: string | undefined, home: string, project: string | undefined, env: NodeJS.ProcessEnv): number {
  const spec = specFor(agentName, home, project, env);
  let r;
  try {
    r = uninstallHooks(spec);
  } catch (err) {
    return settingsError(err);
  }
  const line = !r.changed
    ? `No Reins hook for ${spec.agent} in ${r.path}; nothing changed.`
    : r.deleted
      ? `Removed ${r.path} (Reins had created it).`
      : r.restored
        ? `Removed the Reins hook from ${r.path}; the file is as it was before the install.`
        : `Removed the Reins hook from ${r.path}; your later changes are kept.`;
  process.stdout.write(`${line}\n`);
  return 0;
}
