import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src-main/core/store/index.ts';
import { tempDir } from '../test/helpers/temp-dir.ts';

const ECHO = fileURLToPath(new URL('./agents/echo-line.mjs', import.meta.url));

/** What an approval request line from an agent looks like on the wire, give or take. */
const LINE = JSON.stringify({
  type: 'control_request',
  request_id: 'req-1',
  request: { subtype: 'can_use_tool', tool_name: 'Bash', input: { command: 'touch file-1.txt' }, tool_use_id: 'toolu_1' },
});

/** The floor's three parts, each timed once: its running time is one sample. */
export interface ApprovalFloor {
  /** One pipe round trip + one loopback HTTP request + one WAL transaction; milliseconds. */
  sample(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The least an approval round trip must cost on this machine, which no implementation can beat:
 * one line written to a real child process and read back over its pipes (the agent's request and
 * answer), one loopback HTTP request with a small JSON body that the server parses (the decision),
 * and one SQLite transaction on a real file opened with Reins' own pragmas (WAL, synchronous=NORMAL).
 * Reins does at least this much per approval; the bench reports Reins' round trip as a multiple of it.
 */
export async function startApprovalFloor(): Promise<ApprovalFloor> {
  const dir = tempDir('reins-bench-floor-');
  const db = openDatabase(join(dir.path, 'floor.db'));
  db.exec('CREATE TABLE decisions (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, body TEXT NOT NULL) STRICT');
  const insert = db.prepare('INSERT INTO decisions (at, body) VALUES (?, ?)');
  const decide = db.transaction((body: string) => insert.run(Date.now(), body));

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, body }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/decision`;

  const child = spawn(process.execPath, [ECHO], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: Array<(line: string) => void> = [];
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line));
  const echo = (line: string): Promise<string> =>
    new Promise((resolve) => {
      waiting.push(resolve);
      child.stdin.write(`${line}\n`);
    });

  return {
    async sample() {
      const t0 = performance.now();
      await echo(LINE);
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ decision: 'allow' }) });
      decide(await res.text());
      return performance.now() - t0;
    },
    async close() {
      child.stdin.end();
      if (child.exitCode === null) await once(child, 'exit');
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
      dir.remove();
    },
  };
}
