import type { AuditVerification } from '../../../src-main/contract/api.ts';
import type { AuditEntry } from '../../../src-main/contract/domain.ts';
import { useLoad } from '../../frame/use-load.ts';
import { useApi } from '../../store-context.tsx';

/** An entry's details in one line (`key: value`, nested values as JSON). */
function detailLine(entry: AuditEntry): string {
  return Object.entries(entry.detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

/** What verification found, in one sentence. */
function verdict(result: AuditVerification): string {
  if (result.ok) return `Intact: ${result.entries} entr${result.entries === 1 ? 'y' : 'ies'} verified.`;
  const where = result.brokenAt === null ? '' : ` at entry ${result.brokenAt}`;
  return `Broken${where} (${result.damage}): ${result.problem}`;
}

/** The audit log, newest first, and its hash-chain verification. */
export function AuditSettings() {
  const api = useApi();
  const entries = useLoad(() => api.audit(100).then((answer) => answer.entries));
  const verification = useLoad(() => api.verifyAudit());
  const result = verification.data;
  return (
    <section className="settings-section" aria-labelledby="audit-heading">
      <h3 id="audit-heading">Audit log</h3>
      <div className="inline-row">
        <p role="status" aria-label="Audit verification" className={result ? (result.ok ? 'ok' : 'error') : 'muted'}>
          {result ? verdict(result) : verification.error ? `Could not verify: ${verification.error}` : 'Verifying…'}
        </p>
        <button
          type="button"
          onClick={() => {
            verification.reload();
            entries.reload();
          }}
        >
          Verify again
        </button>
      </div>
      {entries.error ? (
        <p className="error" role="alert">
          {entries.error}
        </p>
      ) : null}
      <table className="table audit-table" aria-label="Audit entries">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Who</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {(entries.data ?? []).map((entry) => (
            <tr key={entry.seq}>
              <td>{entry.seq}</td>
              <td>
                <time dateTime={new Date(entry.ts).toISOString()}>{new Date(entry.ts).toLocaleString()}</time>
              </td>
              <td>
                <code>{entry.type}</code>
                {entry.subject ? <div className="muted">{entry.subject}</div> : null}
              </td>
              <td>
                {entry.actor} <span className="muted">via {entry.surface}</span>
              </td>
              <td className="detail">{detailLine(entry)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
