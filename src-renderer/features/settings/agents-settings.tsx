import { useLoad } from '../../frame/use-load.ts';
import { useApi, useAppState } from '../../store-context.tsx';
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
            <th scope="col">Version and executable</th>
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
                {agent.installed ? <AgentVersion agentId={agent.id} /> : null}
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

/** The version line the agent's executable prints (asked once the screen opens). */
function AgentVersion(props: { agentId: string }) {
  const api = useApi();
  // Wrapped, so that "not answered yet" (data null) differs from "no version" (line null).
  const version = useLoad(() => api.agentVersion(props.agentId).then((line) => ({ line })));
  const text = version.error !== null ? 'version unknown' : version.data === null ? 'asking…' : (version.data.line ?? 'version unknown');
  return <div className="version">{text}</div>;
}
