import { useState } from 'react';
import type { Schedule, Webhook } from '../../../src-main/contract/schedules.ts';
import { useLoad } from '../../frame/use-load.ts';
import { useApi } from '../../store-context.tsx';
import { projectName } from '../sessions/session-filter.ts';

/** A time as the schedule's own time zone reads it. */
function inZone(ms: number, timeZone: string): string {
  // dateStyle and timeStyle cannot be combined with timeZoneName: the fields are named one by one.
  const format = new Intl.DateTimeFormat(undefined, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  return format.format(new Date(ms));
}

function nextWords(s: Schedule): string {
  if (!s.enabled) return 'paused';
  return s.nextRunAt === null ? 'never again' : `next ${inZone(s.nextRunAt, s.timeZone)}`;
}

/** Schedules and webhooks that start sessions: listed, and removable unless config.json defines them. */
export function SchedulesSettings() {
  const api = useApi();
  const schedules = useLoad(() => api.listSchedules().then((answer) => answer.schedules));
  const webhooks = useLoad(() => api.listWebhooks().then((answer) => answer.webhooks));
  const [error, setError] = useState<string | null>(null);

  const remove = async (what: () => Promise<unknown>, reload: () => void): Promise<void> => {
    setError(null);
    try {
      await what();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    }
    reload();
  };
  const removeButton = (item: Schedule | Webhook, onRemove: () => void) =>
    item.source === 'config' ? (
      <span className="muted">in config.json</span>
    ) : (
      <button type="button" className="danger" onClick={onRemove}>
        Remove
      </button>
    );

  return (
    <section className="settings-section" aria-labelledby="schedules-heading">
      <h3 id="schedules-heading">Schedules and webhooks</h3>
      <p className="muted">
        Add them with <code>reins schedule add</code> and <code>reins webhook add</code>, or in config.json. Every session they start is audited and announced.
      </p>
      {error || schedules.error || webhooks.error ? (
        <p className="error" role="alert">
          {error ?? schedules.error ?? webhooks.error}
        </p>
      ) : null}
      <h4>Schedules</h4>
      {schedules.data && schedules.data.length === 0 ? <p className="empty">No schedules.</p> : null}
      {schedules.data && schedules.data.length > 0 ? (
        <ul className="grant-list" aria-label="Schedules">
          {schedules.data.map((s) => (
            <li key={s.name} className="grant" data-schedule={s.name}>
              <span className="grant-words">
                <b>{s.name}</b>: <code>{s.cron}</code> ({s.timeZone}), {s.agent} in {projectName(s.project)}, {s.mode} mode — {nextWords(s)}
              </span>
              <span className="muted">{s.prompt.slice(0, 120)}</span>
              {removeButton(s, () => void remove(() => api.removeSchedule(s.name), schedules.reload))}
            </li>
          ))}
        </ul>
      ) : null}
      <h4>Webhooks</h4>
      {webhooks.data && webhooks.data.length === 0 ? <p className="empty">No webhooks.</p> : null}
      {webhooks.data && webhooks.data.length > 0 ? (
        <ul className="grant-list" aria-label="Webhooks">
          {webhooks.data.map((w) => (
            <li key={w.name} className="grant" data-webhook={w.name}>
              <span className="grant-words">
                <b>{w.name}</b>: <code>POST /api/v1/webhooks/{w.name}</code>, {w.agent} in {projectName(w.project)}, {w.mode} mode
              </span>
              <span className="muted">secret in {w.secretFrom === 'env' ? 'an environment variable' : 'the keychain'}</span>
              {removeButton(w, () => void remove(() => api.removeWebhook(w.name), webhooks.reload))}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
