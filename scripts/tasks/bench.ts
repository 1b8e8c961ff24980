/** `npm run bench [name]`: runs the benchmarks (bench/run.ts), which print each figure and every missed target. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, runForeground, say } from '../lib/proc.ts';

/** Runs bench/run.ts with the given arguments. */
export async function main(args: readonly string[]): Promise<number> {
  const entry = join(projectRoot, 'bench', 'run.ts');
  if (!existsSync(entry)) {
    say('bench/run.ts does not exist in this checkout: nothing to run');
    return 1;
  }
  return runForeground(process.execPath, [entry, ...args]);
}
