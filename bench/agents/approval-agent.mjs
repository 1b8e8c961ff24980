#!/usr/bin/env node
/**
 * Bench stand-in for `claude`: on "APPROVALS:N" it asks N permission requests one after another,
 * timing each from writing the request to reading the answer (what Reins adds to an approval),
 * then writes the samples (µs) to $BENCH_OUT and ends the turn.
 */
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const sid = '00000000-0000-4000-8000-0000000be7c1';
const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
let remaining = 0;
let sentAt = 0n;
let n = 0;
const samples = [];

const ask = () => {
  n++;
  sentAt = process.hrtime.bigint();
  out({
    type: 'control_request',
    request_id: `req-${n}`,
    request: { subtype: 'can_use_tool', tool_name: 'Bash', input: { command: `touch file-${n}.txt` }, tool_use_id: `toolu_${n}` },
  });
};

createInterface({ input: process.stdin })
  .on('line', (line) => {
    const msg = JSON.parse(line);
    if (msg.type === 'user') {
      const text = String(msg.message?.content ?? '');
      out({ type: 'system', subtype: 'init', session_id: sid });
      remaining = Number(text.split(':')[1] ?? 0);
      ask();
    } else if (msg.type === 'control_response' && msg.response?.request_id === `req-${n}`) {
      samples.push(Number(process.hrtime.bigint() - sentAt) / 1000);
      if (--remaining > 0) return ask();
      writeFileSync(process.env.BENCH_OUT, JSON.stringify(samples));
      out({ type: 'result', subtype: 'success', is_error: false, session_id: sid, usage: {}, num_turns: 1 });
    }
  })
  .on('close', () => process.exit(0));
