#!/usr/bin/env node
/**
 * A stand-in for `claude` that speaks just enough stream-json to start a turn, then misbehaves
 * in ways the real CLI cannot be made to: garbage lines, a 10 MB line, invalid UTF-8, a crash in
 * the middle of a line, a flood of lines, a trickle, a long pause. The user message text picks the fault.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const sessionId = '00000000-0000-4000-8000-00000000bad1';
const out = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
const init = () =>
  out({
    type: 'system',
    subtype: 'init',
    session_id: sessionId,
    model: 'fake',
    claude_code_version: 'misbehaving',
    cwd: process.cwd(),
    permissionMode: 'default',
  });
const say = (text) =>
  out({ type: 'assistant', message: { id: `msg_${Date.now()}`, role: 'assistant', content: [{ type: 'text', text }] }, session_id: sessionId });
const result = () =>
  out({
    type: 'result',
    subtype: 'success',
    is_error: false,
    result: 'done',
    session_id: sessionId,
    total_cost_usd: 0,
    usage: { input_tokens: 1, output_tokens: 1 },
    num_turns: 1,
    duration_ms: 1,
  });

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  let msg;
  try {
    msg = JSON.parse(line);
  } catch {
    return;
  }
  if (msg.type !== 'user') return;
  const text = typeof msg.message?.content === 'string' ? msg.message.content : '';
  init();
  if (text.startsWith('GARBAGE')) {
    process.stdout.write('this is not json {{{\n');
    say('still alive after garbage');
    result();
  } else if (text.startsWith('HUGE')) {
    process.stdout.write(`{"type":"assistant","junk":"${'x'.repeat(10 * 1024 * 1024)}"}\n`);
    say('still alive after a huge line');
    result();
  } else if (text.startsWith('BADUTF8')) {
    process.stdout.write(
      Buffer.concat([
        Buffer.from('{"type":"assistant","message":{"id":"m1","role":"assistant","content":[{"type":"text","text":"bad '),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from(' bytes"}]},"session_id":"x"}\n'),
      ]),
    );
    say('still alive after bad bytes');
    result();
  } else if (text.startsWith('UNKNOWN')) {
    out({ type: 'brand_new_kind', detail: { answer: 42 }, session_id: sessionId });
    result();
  } else if (text.startsWith('CRASH')) {
    say('about to crash');
    process.stdout.write('{"type":"assistant","message":{"id":"m2","con', () => process.exit(3));
  } else if (text.startsWith('FLOOD:')) {
    const n = Number(text.slice(6));
    let i = 0;
    const line = `${JSON.stringify({ type: 'assistant', message: { id: 'msg_flood', role: 'assistant', content: [{ type: 'text', text: 'flood line with some typical assistant text in it, about eighty chars' }] }, session_id: sessionId })}\n`;
    const pump = () => {
      while (i < n) {
        i++;
        if (!process.stdout.write(line)) return process.stdout.once('drain', pump);
      }
      result();
    };
    pump();
  } else if (text.startsWith('SLEEPER')) {
    // Starts a long command that inherits stdout (as a shell tool's child would), reports its
    // pid, then goes silent: only killing the whole process group ends the command too.
    const sleeper = spawn('sleep', ['30'], { stdio: ['ignore', 'inherit', 'inherit'] });
    say(`sleeper ${sleeper.pid}`);
  } else if (text.startsWith('TRICKLE:')) {
    // TRICKLE:<count>:<ms>: a slow but steady turn, one line every <ms>.
    const [count, every] = text.slice(8).split(':').map(Number);
    let said = 0;
    const timer = setInterval(() => {
      say(`trickle ${++said}`);
      if (said >= count) {
        clearInterval(timer);
        result();
      }
    }, every);
  } else if (text.startsWith('PAUSE:')) {
    // PAUSE:<ms>: silent for <ms>, then the turn finishes normally.
    setTimeout(
      () => {
        say('back after a pause');
        result();
      },
      Number(text.slice(6)),
    );
  } else if (text.startsWith('SILENT')) {
    // Starts a turn and never says another word: for the idle watchdog.
  } else {
    say(text);
    result();
  }
});
rl.on('close', () => process.exit(0));
