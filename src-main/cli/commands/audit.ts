import { existsSync } from 'node:fs';
import { readAuditSeal, verifyAuditLog } from '../../core/audit/index.ts';
import { homePaths } from '../../core/host/paths.ts';
import { secretStoreFor } from '../../core/secrets/index.ts';
import { openDatabase } from '../../core/store/index.ts';
import { createAuditRepo } from '../../core/store/repos/audit-repo.ts';
import { CliError } from '../client.ts';

/**
 * `reins audit verify`: checks the log in the database directly (works without a running core)
 * against the key and head in the secret store, and names the first damage found.
 */
export async function auditVerifyCommand(home: string, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { db: path } = homePaths(home);
  if (!existsSync(path)) throw new CliError(`No Reins database in ${home}. Pass --home, or run Reins once first.`);
  const secrets = await secretStoreFor(home, env, () => undefined);
  const seal = await readAuditSeal(secrets, home);
  const db = openDatabase(path, { readonly: true });
  try {
    const result = verifyAuditLog({ audit: createAuditRepo(db) }, seal);
    if (result.ok) {
      process.stdout.write(
        `Audit log intact: ${result.entries} entries, sealed with the key in ${secrets.backend === 'keychain' ? 'the OS keychain' : 'secrets.json (no keychain here)'}, head ${result.head.slice(0, 16)}…\n`,
      );
      for (const note of result.notes) process.stdout.write(`  note: ${note}\n`);
      return 0;
    }
    const where = result.brokenAt === null ? '' : ` at entry ${result.brokenAt}`;
    process.stdout.write(`Audit log DAMAGED${where} (${result.damage}): ${result.problem}. ${result.entries} entries before it verify.\n`);
    return 1;
  } finally {
    db.close();
  }
}
