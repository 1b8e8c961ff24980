import type { AgentDescriptor } from '../registry.ts';
import { CODEX_CAPABILITIES, createCodexRunner } from './codex-runner.ts';

/** OpenAI Codex, driven over `codex app-server` JSON-RPC (PROTOCOL.md). */
export const codexDescriptor: AgentDescriptor = {
  id: 'codex',
  displayName: 'Codex',
  defaultBin: 'codex',
  installHint: 'npm i -g @openai/codex',
  versionArgs: ['--version'],
  capabilities: CODEX_CAPABILITIES,
  tested: true,
  createRunner: (ctx) =>
    createCodexRunner({ bin: ctx.bin, extraArgs: ctx.config.args, maxLineBytes: ctx.maxLineBytes, ...(ctx.spawn ? { spawn: ctx.spawn } : {}) }),
};
