/** `reins schedule …` and `reins webhook …`: schedules and webhooks of the running core. */
import type { Schedule, Webhook, WebhookSecretResponse } from '../../contract/index.ts';
import { formatInZone } from '../../core/schedules/index.ts';
import type { ApiClient } from '../client.ts';
import { CliError } from '../client.ts';
import { table } from '../format.ts';

/** What `schedule add` and `webhook add` take from the command line. */
interface AddOptions {
  name: string | undefined;
  cron?: string | undefined;
  tz?: string | undefined;
  project: string | undefined;
  agent: string;
  mode: string;
  prompt: string | undefined;
}

const required = (what: string, v: string | undefined, usage: string): string => {
  if (!v) throw new CliError(`Missing ${what}. Usage: ${usage}`, 2);
  return v;
};
const path = (name: string): string => encodeURIComponent(name);

const SCHEDULE_ADD = 'reins schedule add --name NAME --cron "0 9 * * 1-5" --tz Europe/Berlin --project DIR [--agent claude] [--mode ask] --prompt "..."';
const WEBHOOK_ADD = 'reins webhook add NAME --project DIR [--agent claude] [--mode ask] --prompt "template with {{path.to.field}}"';

/** `reins schedule add|list|rm|pause|resume`. */
export async function scheduleCommand(api: ApiClient, sub: string | undefined, args: string[], o: AddOptions): Promise<number> {
  switch (sub) {
    case 'add': {
      const body = {
        name: required('--name', o.name, SCHEDULE_ADD),
        cron: required('--cron', o.cron, SCHEDULE_ADD),
        timeZone: required('--tz', o.tz, SCHEDULE_ADD),
        project: required('--project', o.project, SCHEDULE_ADD),
        agent: o.agent,
        mode: o.mode,
        prompt: required('--prompt', o.prompt, SCHEDULE_ADD),
      };
      const { schedule } = await api.post<{ schedule: Schedule }>('/schedules', body);
      process.stdout.write(`Added schedule ${schedule.name}; ${nextRun(schedule)}.\n`);
      return 0;
    }
    case 'list':
    case undefined: {
      const { schedules } = await api.get<{ schedules: Schedule[] }>('/schedules');
      if (schedules.length === 0) {
        process.stdout.write(`No schedules. Add one with \`${SCHEDULE_ADD}\` or in config.json.\n`);
        return 0;
      }
      const rows = schedules.map((s) => [s.name, s.cron, s.timeZone, nextRun(s), s.agent, s.mode, s.source, s.project]);
      process.stdout.write(`${table([['NAME', 'CRON', 'TIME ZONE', 'NEXT RUN', 'AGENT', 'MODE', 'FROM', 'PROJECT'], ...rows])}\n`);
      return 0;
    }
    case 'rm': {
      const name = required('the schedule name', args[0], 'reins schedule rm NAME');
      await api.del(`/schedules/${path(name)}`);
      process.stdout.write(`Removed schedule ${name}.\n`);
      return 0;
    }
    case 'pause':
    case 'resume': {
      const name = required('the schedule name', args[0], `reins schedule ${sub} NAME`);
      const { schedule } = await api.post<{ schedule: Schedule }>(`/schedules/${path(name)}/enabled`, { enabled: sub === 'resume' });
      process.stdout.write(`Schedule ${name}: ${nextRun(schedule)}.\n`);
      return 0;
    }
    default:
      throw new CliError('Usage: reins schedule add|list|rm|pause|resume', 2);
  }
}

/** `reins webhook add|list|rm|rotate`. */
export async function webhookCommand(api: ApiClient, sub: string | undefined, args: string[], o: AddOptions): Promise<number> {
  switch (sub) {
    case 'add': {
      const body = {
        name: required('the webhook name', args[0] ?? o.name, WEBHOOK_ADD),
        project: required('--project', o.project, WEBHOOK_ADD),
        agent: o.agent,
        mode: o.mode,
        promptTemplate: required('--prompt', o.prompt, WEBHOOK_ADD),
      };
      printSecret(await api.post<WebhookSecretResponse>('/webhooks', body), api.info.url, 'Added');
      return 0;
    }
    case 'rotate': {
      const name = required('the webhook name', args[0], 'reins webhook rotate NAME');
      printSecret(await api.post<WebhookSecretResponse>(`/webhooks/${path(name)}/secret`), api.info.url, 'New secret for');
      return 0;
    }
    case 'list':
    case undefined: {
      const { webhooks } = await api.get<{ webhooks: Webhook[] }>('/webhooks');
      if (webhooks.length === 0) {
        process.stdout.write(`No webhooks. Add one with \`${WEBHOOK_ADD}\` or in config.json.\n`);
        return 0;
      }
      const rows = webhooks.map((w) => [
        w.name,
        `/api/v1/webhooks/${w.name}`,
        w.agent,
        w.mode,
        w.source,
        w.secretFrom === 'env' ? 'environment' : 'secret store',
        w.project,
      ]);
      process.stdout.write(`${table([['NAME', 'PATH', 'AGENT', 'MODE', 'FROM', 'SECRET IN', 'PROJECT'], ...rows])}\n`);
      return 0;
    }
    case 'rm': {
      const name = required('the webhook name', args[0], 'reins webhook rm NAME');
      await api.del(`/webhooks/${path(name)}`);
      process.stdout.write(`Removed webhook ${name} and its secret.\n`);
      return 0;
    }
    default:
      throw new CliError('Usage: reins webhook add|list|rm|rotate', 2);
  }
}

function nextRun(s: Schedule): string {
  if (!s.enabled) return 'paused';
  return s.nextRunAt === null ? 'never runs again' : `next run ${formatInZone(s.nextRunAt, s.timeZone)}`;
}

function printSecret({ webhook, secret }: WebhookSecretResponse, url: string, verb: string): void {
  process.stdout.write(
    `${verb} webhook ${webhook.name}: POST ${url}/api/v1/webhooks/${webhook.name}\n` +
      `Secret (shown this once; Reins keeps it in the keychain): ${secret}\n` +
      'Sign each delivery: X-Reins-Timestamp: <unix seconds>, X-Reins-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">.\n',
  );
}
