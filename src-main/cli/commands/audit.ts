import { existsSync } from 'node:fs';
import { verifyAuditChain } from '../../core/audit/index.ts';
import { homePaths } from '../../core/host/paths.ts';
import { openDatabase } from '../../core/store/index.ts';
import { createAuditRepo } from '../../core/store/repos/audit-repo.ts';
import { CliError } from '../client.ts';

/** `reins audit verify`: walks the hash chain in the database directly (works without a running core). */
export function auditVerifyCommand(home: string): number {
  const { db: path } = homePaths(home);
  if (!existsSync(path)) throw new CliError(`No Reins database in ${home}. Pass --home, or run Reins once first.`);
  const db = openDatabase(path, { readonly: true });
  try {
    const result = verifyAuditChain({ audit: createAuditRepo(db) });
    if (result.ok) {
      process.stdout.write(`Audit log intact: ${result.entries} entries, head ${result.head.slice(0, 16)}…\n`);
      return 0;
    }
    process.stdout.write(`Audit log BROKEN at entry ${result.brokenAt}: ${result.problem}. ${result.entries} entries before it verify.\n`);
    return 1;
  } finally {
    db.close();
  }
}
