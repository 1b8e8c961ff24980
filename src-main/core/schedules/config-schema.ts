/**
 * The `schedules` and `webhooks` sections of config.json. Schedules and webhooks defined here are
 * synced into the store at start and are read-only from the CLI, the chat and the window.
 */
import { z } from 'zod';
import { addScheduleBody, addWebhookBody } from '../../contract/index.ts';
import { cronProblem } from './cron.ts';

/** One schedule in config.json: the same fields as `reins schedule add`. */
const scheduleConfig = addScheduleBody.superRefine((s, ctx) => {
  const problem = cronProblem(s.cron, s.timeZone);
  if (problem) ctx.addIssue({ code: 'custom', path: ['cron'], message: problem });
});

/** config.json's `schedules`: each name once. */
export const schedulesConfig = z.array(scheduleConfig).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((s, i) => {
    if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `the name "${s.name}" is used twice` });
    seen.add(s.name);
  });
});

/**
 * One webhook in config.json (keyed by its name). Its signing secret is never written here: it is
 * read from the environment variable `secretEnv`, or else from the secret store
 * (`reins webhook rotate <name>` creates it). The variable must start with `REINS_`, since those are
 * never passed on to agents.
 */
export const webhookConfig = addWebhookBody.omit({ name: true }).extend({
  secretEnv: z
    .string()
    .regex(/^REINS_[A-Z0-9_]{1,60}$/, 'an environment variable starting with REINS_ (agents never see those), e.g. REINS_WEBHOOK_CI')
    .optional(),
});
