import { actionSubject } from '../../../src-main/contract/action-words.ts';
import type { ToolAction } from '../../../src-main/contract/action.ts';
import { Diff } from './rich-text.tsx';

/** The project-relative form of `path` when it lies inside `cwd`. */
function shortPath(path: string, cwd: string | undefined): string {
  if (!cwd) return path;
  const root = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return path.startsWith(root) ? path.slice(root.length) : path;
}

/**
 * What a call does, in full: the command, the diff of a file change, the files, URL or query, and
 * the raw input only for tools Reins knows nothing about.
 */
export function ActionBody(props: { action: ToolAction; cwd?: string }) {
  const { action, cwd } = props;
  const description = action.description?.trim();
  const hasChanges = (action.kind === 'edit' || action.kind === 'write') && ((action.edits?.length ?? 0) > 0 || (action.patch ?? '') !== '');
  let body: React.ReactNode;
  if (action.kind === 'shell') {
    body = <pre className="action-command">{actionSubject(action)}</pre>;
  } else if (hasChanges) {
    body = <Diff action={action} />;
  } else if (action.kind === 'read' || action.kind === 'write' || action.kind === 'edit') {
    body = <code className="action-subject">{(action.paths ?? []).map((p) => shortPath(p, cwd)).join(', ')}</code>;
  } else if (action.kind === 'other' || action.kind === 'mcp') {
    body = <pre className="action-input">{JSON.stringify(action.input, null, 2)}</pre>;
  } else {
    body = <code className="action-subject">{actionSubject(action)}</code>;
  }
  return (
    <div className="action-body">
      {description ? <p className="action-description">{description}</p> : null}
      {body}
    </div>
  );
}
