import type { AgentDescriptor } from '../registry.ts';
import { CLAUDE_CAPABILITIES, createClaudeRunner } from './claude-runner.ts';

/** Claude Code, driven over stream-json with its control channel (PROTOCOL.md). */
export const claudeDescriptor: AgentDescriptor = {
  id: 'claude',
  displayName: 'Claude Code',
  defaultBin: 'claude',
  installHint: 'npm i -g @anthropic-ai/claude-code',
  versionArgs: ['--version'],
  capabilities: CLAUDE_CAPABILITIES,
  tested: true,
  createRunner: (ctx) =>
    createClaudeRunner({ bin: ctx.bin, extraArgs: ctx.config.args, maxLineBytes: ctx.maxLineBytes, ...(ctx.spawn ? { spawn: ctx.spawn } : {}) }),
};
