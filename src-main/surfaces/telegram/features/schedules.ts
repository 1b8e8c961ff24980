/**
 * `/schedule`: the schedules with their next run (in each one's time zone), with buttons to pause,
 * resume or remove each. Adding happens on the computer (`reins schedule add` or config.json): a
 * schedule names a project directory and a cron expression, which the CLI checks as they are typed.
 */
import { Composer, type Context } from 'grammy';
import type { Schedule } from '../../../contract/index.ts';
import { formatInZone } from '../../../core/schedules/index.ts';
import { escapeHtml } from '../format/index.ts';
import type { ButtonSpec } from '../writer.ts';
import { actorOf, fire, reply, type FeatureDeps, type MenuHandler } from './deps.ts';

/** Schedules listed (each takes a row of buttons). */
const SHOWN = 8;

function line(s: Schedule, i: number): string {
  const when = !s.enabled ? '⏸ paused' : s.nextRunAt === null ? 'never again' : `next ${escapeHtml(formatInZone(s.nextRunAt, s.timeZone))}`;
  const from = s.source === 'config' ? ' · config.json' : '';
  return `${i + 1}. <b>${escapeHtml(s.name)}</b> <code>${escapeHtml(s.cron)}</code> (${escapeHtml(s.timeZone)}) — ${when}\n    ${escapeHtml(s.agent)} in <code>${escapeHtml(s.project)}</code>${from}`;
}

/** Builds the Composer; `menus` receives its button handler. */
export function schedulesFeature(deps: FeatureDeps, menus: Map<string, MenuHandler>): Composer<Context> {
  const c = new Composer<Context>();

  c.command('schedule', (ctx) => {
    const say = (html: string, keyboard?: ButtonSpec[][]): void => fire(deps, 'schedule.reply', reply(deps, ctx, html, keyboard ? { keyboard } : {}));
    if (String(ctx.match ?? '').trim()) {
      return say(
        'Add schedules on the computer: <code>reins schedule add --name N --cron "0 9 * * 1-5" --tz Europe/Berlin --project DIR --prompt "…"</code>, or in config.json.',
      );
    }
    const schedules = deps.core.schedules.list().slice(0, SHOWN);
    if (schedules.length === 0) return say('No schedules. Add one on the computer with <code>reins schedule add</code> or in config.json.');
    const options = schedules.flatMap((s) => [`${s.enabled ? 'pause' : 'resume'}:${s.name}`, `rm:${s.name}`]);
    const handle = deps.state.newHandle({
      kind: 'menu',
      menu: 'schedule',
      options,
      chatId: ctx.chat?.id ?? 0,
      expiresAt: deps.clock.now() + deps.tuning.menuTtlMs,
    });
    const rows: ButtonSpec[][] = schedules.map((s, i) => [
      { text: `${s.enabled ? '⏸ Pause' : '▶️ Resume'} ${i + 1}`, payload: { handle, action: `answer:${2 * i}` } },
      ...(s.source === 'user' ? [{ text: `🗑 Remove ${i + 1}`, payload: { handle, action: `answer:${2 * i + 1}` as const } }] : []),
    ]);
    say(`<b>Schedules</b>\n${schedules.map(line).join('\n')}`, rows);
  });

  menus.set('schedule', (tap, _target, choice) => {
    const [verb, name = ''] = choice.split(/:(.*)/s);
    const actor = actorOf(tap.userId);
    if (verb === 'rm') {
      deps.core.schedules.remove(name, actor);
      return `Removed schedule ${name}.`;
    }
    const s = deps.core.schedules.setEnabled(name, verb === 'resume', actor);
    return s.enabled ? `Resumed ${name}: next ${s.nextRunAt === null ? 'never' : formatInZone(s.nextRunAt, s.timeZone)}.` : `Paused ${name}.`;
  });

  return c;
}
