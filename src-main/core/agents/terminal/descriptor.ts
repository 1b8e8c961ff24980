import type { AgentDescriptor } from '../registry.ts';
import { createTerminalRunner, TERMINAL_CAPABILITIES } from './terminal-runner.ts';

/** A program in a pseudo-terminal: the owner's shell by default (`agents.terminal.bin` picks another, an agent's TUI say). */
export const terminalDescriptor: AgentDescriptor = {
  id: 'terminal',
  displayName: 'Terminal',
  defaultBin: process.env.SHELL || '/bin/sh',
  installHint: 'a shell is part of the system; set agents.terminal.bin to run another program',
  versionArgs: ['--version'],
  capabilities: TERMINAL_CAPABILITIES,
  tested: true,
  createRunner: (ctx) => createTerminalRunner({ bin: ctx.bin, args: ctx.config.args }),
};
