#!/usr/bin/env node
/** Bench floor: echoes every line it reads on stdin back on stdout, as an agent answers over its pipe. */
import { createInterface } from 'node:readline';

createInterface({ input: process.stdin }).on('line', (line) => process.stdout.write(`${line}\n`));
