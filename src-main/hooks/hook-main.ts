/**
 * `reins hook <agent> [--home DIR]`: the process an agent's hook settings start for each tool call.
 * bin/reins.js sends `hook` here before loading the CLI, so the call costs a Node start and one
 * loopback request. Whatever happens, it prints an answer (a denial when in doubt) and exits 0.
 */
import { resolveHome } from '../core/host/paths.ts';
import { CLIENT_BUDGET_MS, HOOK_AGENTS, isHookAgent, type HookAgent } from './hook-agents.ts';
import { denyOutput } from './hook-io.ts';
import { runHookClient } from './hook-client.ts';

// Not `import`: an ES import of node:util builds its module facade, which costs the hook's start (see hook-client.ts).
const { parseArgs } = process.getBuiltinModule('node:util');

function print(text: string): void {
  process.stdout.write(text ? `${text}\n` : '', () => process.exit(0));
}

/** Runs the hook for `argv` (the words after `hook`). */
export async function hookMain(argv: string[]): Promise<void> {
  let agent: HookAgent = 'claude';
  try {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { home: { type: 'string' } } });
    const named = positionals[0] ?? '';
    if (!isHookAgent(named)) {
      process.stderr.write(`reins hook: name the agent (${HOOK_AGENTS.join(', ')}); got "${named}".\n`);
      // An answer the agent cannot misread as allow, whichever agent started us.
      print(
        denyOutput(
          agent,
          `Reins: the hook command names no known agent ("${named}"), so this call was denied. Reinstall it with \`reins hooks install <agent>\`.`,
        ),
      );
      return;
    }
    agent = named;
    // A last resort under the agent's own hook timeout, should anything below hang.
    setTimeout(() => print(denyOutput(agent, 'Reins: the hook did not finish in time, so this call was denied.')), CLIENT_BUDGET_MS + 2000).unref();
    const out = await runHookClient({ agent, stdin: process.stdin, home: resolveHome(values.home, process.env) });
    print(out);
  } catch (err) {
    print(denyOutput(agent, `Reins: the hook failed (${(err as Error).message}), so this call was denied.`));
  }
}
