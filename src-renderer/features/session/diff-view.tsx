/**
 * A file change as a rendered diff: hunks with line numbers, removed and added lines marked. The
 * agent's edits (old and new text) are diffed with jsdiff; a unified diff the agent sent is parsed
 * as it is. Loaded on demand with the Markdown renderer's chunk mates.
 */
import { parsePatch, structuredPatch, type StructuredPatch } from 'diff';
import type { ToolAction } from '../../../src-main/contract/action.ts';
import './diff-view.css';

const CONTEXT_LINES = 3;

/** The action's changes as structured patches, one per edit or per file of a unified diff. */
function patchesOf(action: ToolAction): StructuredPatch[] {
  if (action.edits !== undefined && action.edits.length > 0) {
    return action.edits.map((edit) => structuredPatch(edit.path, edit.path, edit.oldText ?? '', edit.newText, '', '', { context: CONTEXT_LINES }));
  }
  if (action.patch !== undefined && action.patch !== '') return parsePatch(action.patch);
  return [];
}

/** Renders an edit or write action's changes; nothing when it carries none. */
export default function DiffView(props: { action: ToolAction }) {
  const patches = patchesOf(props.action);
  if (patches.length === 0) return null;
  return (
    <div className="diff">
      {patches.map((patch, p) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: patches of one action never reorder
        <table key={p} className="diff-file">
          <caption>{patch.newFileName || patch.oldFileName}</caption>
          <tbody>
            {patch.hunks.map((hunk) => {
              let oldLine = hunk.oldStart;
              let newLine = hunk.newStart;
              return [
                <tr key={`h${hunk.oldStart}:${hunk.newStart}`} className="diff-hunk">
                  <td colSpan={3}>{`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`}</td>
                </tr>,
                ...hunk.lines
                  .filter((line) => !line.startsWith('\\'))
                  .map((line, i) => {
                    const sign = line[0];
                    const kind = sign === '+' ? 'add' : sign === '-' ? 'del' : 'ctx';
                    const left = kind === 'add' ? '' : String(oldLine++);
                    const right = kind === 'del' ? '' : String(newLine++);
                    return (
                      // biome-ignore lint/suspicious/noArrayIndexKey: a hunk's lines never reorder
                      <tr key={`${hunk.oldStart}:${i}`} className={`diff-${kind}`}>
                        <td className="diff-n">{left}</td>
                        <td className="diff-n">{right}</td>
                        <td className="diff-text">
                          <span className="diff-sign" aria-hidden="true">
                            {kind === 'add' ? '+' : kind === 'del' ? '−' : ' '}
                          </span>
                          {line.slice(1)}
                        </td>
                      </tr>
                    );
                  }),
              ];
            })}
          </tbody>
        </table>
      ))}
    </div>
  );
}
