/**
 * The light front of the heavy renderers: Markdown and diffs load in their own chunks the first
 * time one is shown; until then the text shows as it is, so nothing waits for them.
 */
import { lazy, memo, Suspense } from 'react';
import type { ToolAction } from '../../../src-main/contract/action.ts';
import { actionDiffLines } from '../../../src-main/contract/action-words.ts';

const LazyMarkdown = lazy(() => import('./markdown.tsx'));
const LazyDiff = lazy(() => import('./diff-view.tsx'));

/** Markdown text (an agent's answer, a plan); parsed again only when the text changes, not on every scroll. */
export const Markdown = memo(function Markdown(props: { text: string }) {
  return (
    <Suspense fallback={<div className="md md-plain">{props.text}</div>}>
      <LazyMarkdown text={props.text} />
    </Suspense>
  );
});

/** The diff of an edit or write action. */
export const Diff = memo(function Diff(props: { action: ToolAction }) {
  return (
    <Suspense fallback={<pre className="diff-plain">{(actionDiffLines(props.action) ?? []).join('\n')}</pre>}>
      <LazyDiff action={props.action} />
    </Suspense>
  );
});
