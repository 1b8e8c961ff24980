/**
 * Command line for a long-lived Claude Code session driven over stdin/stdout.
 * `--permission-prompt-tool stdio` only works together with `--input-format stream-json`, and
 * `--output-format stream-json` needs `--verbose` in print mode (PROTOCOL.md, "Invocation").
 */
export function claudeArgs(resumeId: string | null, extra: readonly string[] = [], planMode = false): string[] {
  return [
    '-p',
    '--input-format',
    'stream-json',
    '--output-format',
    'stream-json',
    '--verbose',
    '--permission-prompt-tool',
    'stdio',
    ...(resumeId ? ['--resume', resumeId] : []),
    ...(planMode ? ['--permission-mode', 'plan'] : []),
    ...extra,
  ];
}
