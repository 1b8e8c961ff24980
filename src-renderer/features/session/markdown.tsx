/**
 * Agent Markdown rendered for real (GitHub flavour, highlighted code). Loaded on demand: the
 * parser and the grammars are most of the renderer's weight, and a session view first paints
 * without them. Raw HTML in the text stays text (no rehype-raw), and highlighting only adds class
 * names, so nothing here needs an inline style or script under the window's CSP.
 */
import type { ComponentProps } from 'react';
import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { highlightCode } from './highlight-code.ts';
import './markdown.css';

const remarkPlugins = [remarkGfm];
const rehypePlugins = [highlightCode];

/** Links open outside the window; images become links, since the CSP (and privacy) forbid fetching them. */
const components: ComponentProps<typeof ReactMarkdown>['components'] = {
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noreferrer noopener" />,
  img: ({ src, alt }) =>
    typeof src === 'string' ? (
      <a href={src} target="_blank" rel="noreferrer noopener">
        {alt || src}
      </a>
    ) : null,
};

/** Renders `text` as Markdown. */
export default function Markdown(props: { text: string }) {
  return (
    <div className="md">
      <ReactMarkdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {props.text}
      </ReactMarkdown>
    </div>
  );
}
