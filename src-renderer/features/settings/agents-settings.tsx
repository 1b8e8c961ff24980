import { useAppState } from '../../store-context.tsx';
import { capabilityWords } from '../new-session/capability-words.ts';

/** The agents Reins knows, as `reins doctor` reports them: found or not, where, what each can do, how to install. */
export function AgentsSettings() {
  const agents = useAppState((state) => state.agents);
  return (
    <section className="settings-section" aria-labelledby="agents-heading">
      <h3 id="agents-heading">Agents</h3>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Agent</th>
            <th scope="col">Found</th>
            <th scope="col">Executable</th>
            <th scope="col">Can</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <tr key={agent.id} data-agent-id={agent.id}>
              <th scope="row">
                {agent.displayName}
                {agent.tested ? null : <span className="tag">untested</span>}
              </th>
              <td>{agent.installed ? <span className="ok">installed</span> : <span className="muted">missing</span>}</td>
              <td>
                <code>{agent.bin}</code>
                {agent.installed ? null : <div className="muted">Install: {agent.installHint}</div>}
              </td>
              <td>{capabilityWords(agent.capabilities).join(', ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
