import stripAnsi from 'strip-ansi';

/**
 * Terminal output as plain lines: control sequences removed, and a carriage return overwriting its
 * line as a terminal would (progress bars leave only their last state).
 */
export function readableTerminalText(data: string): string {
  return stripAnsi(data)
    .split('\n')
    .map((line) => line.replace(/\r+$/, '').split('\r').at(-1) ?? '')
    .join('\n');
}
