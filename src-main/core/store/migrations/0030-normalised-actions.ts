import type { Migration } from '../migrate.ts';

/**
 * Grants of the first agent were keyed by Claude's tool names; they are keyed by the normalised
 * action's kind now, so a grant on a command, a file, a folder or an origin covers that target
 * whichever agent asks. Grants keyed by the exact input (MCP and unknown tools) keep the tool name.
 */
const SUBJECT_OF_TOOL: ReadonlyArray<readonly [string, string]> = [
  ['Bash', 'shell'],
  ['Read', 'read'],
  ['NotebookRead', 'read'],
  ['Write', 'write'],
  ['Edit', 'edit'],
  ['MultiEdit', 'edit'],
  ['NotebookEdit', 'edit'],
  ['Grep', 'search'],
  ['Glob', 'search'],
  ['LS', 'search'],
  ['WebFetch', 'fetch'],
];

/** Approvals keep the normalised action their runner described; grants are keyed by action kind. */
export const migration0030: Migration = {
  version: 30,
  name: 'normalised-actions',
  up(db) {
    db.exec('ALTER TABLE approvals ADD COLUMN action TEXT;');
    const rename = db.prepare('UPDATE grants SET tool = ? WHERE tool = ?');
    for (const [tool, subject] of SUBJECT_OF_TOOL) rename.run(subject, tool);
  },
};
