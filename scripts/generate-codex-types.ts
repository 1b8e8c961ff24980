/**
 * Regenerates src-main/core/agents/codex/generated/ from the pinned `codex` CLI:
 * `codex app-server generate-ts` writes ~800 files; only the import closure of the types the runner
 * uses is kept, and relative imports get their `.ts` extension (the project resolves ESM as Node does).
 * Usage: node scripts/generate-codex-types.ts  (after `npm ci`; add a root below when the runner needs a new type)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'src-main/core/agents/codex/generated');
/** The types the runner imports; everything they reference comes along. */
const ROOTS = [
  'InitializeParams',
  'InitializeResponse',
  'v2/ItemStartedNotification',
  'v2/ItemCompletedNotification',
  'v2/TurnStartedNotification',
  'v2/TurnCompletedNotification',
  'v2/TurnPlanUpdatedNotification',
  'v2/ThreadTokenUsageUpdatedNotification',
  'v2/ErrorNotification',
  'v2/ServerRequestResolvedNotification',
  'v2/ThreadItem',
  'v2/ThreadStartParams',
  'v2/ThreadStartResponse',
  'v2/ThreadResumeParams',
  'v2/ThreadResumeResponse',
  'v2/TurnStartParams',
  'v2/TurnStartResponse',
  'v2/TurnInterruptParams',
  'v2/TurnSteerParams',
  'v2/CommandExecutionRequestApprovalParams',
  'v2/CommandExecutionRequestApprovalResponse',
  'v2/FileChangeRequestApprovalParams',
  'v2/FileChangeRequestApprovalResponse',
];

const full = mkdtempSync(join(tmpdir(), 'codex-ts-'));
try {
  execFileSync(join(root, 'node_modules/.bin/codex'), ['app-server', 'generate-ts', '--out', full], { stdio: 'inherit' });
  const version = execFileSync(join(root, 'node_modules/.bin/codex'), ['--version'], { encoding: 'utf8' }).trim();
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(/from "(\.[^"]+)"/g)) visit(resolve(dirname(file), `${m[1]!}.ts`));
  };
  for (const r of ROOTS) visit(join(full, `${r}.ts`));
  rmSync(out, { recursive: true, force: true });
  for (const file of seen) {
    const to = join(out, relative(full, file));
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, readFileSync(file, 'utf8').replace(/from "(\.[^"]+)"/g, 'from "$1.ts"'));
  }
  writeFileSync(join(out, 'VERSION'), `${version}\n${seen.size} files: the import closure of ${ROOTS.join(', ')}\n`);
  console.log(`${seen.size} files from ${version} → ${relative(root, out)}`);
} finally {
  rmSync(full, { recursive: true, force: true });
}
