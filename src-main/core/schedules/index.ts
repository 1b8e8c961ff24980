/** Sessions started on the owner's behalf: cron schedules in a time zone, and signed webhooks. */
export { createScheduler } from './scheduler.ts';
export { createScheduleService } from './schedule-service.ts';
export { createWebhookService, WEBHOOK_MAX_BODY_BYTES } from './webhook-service.ts';
export { formatInZone } from './cron.ts';
