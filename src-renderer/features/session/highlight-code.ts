/**
 * A rehype plugin that highlights fenced code whose language is named (```ts) with highlight.js
 * grammars through lowlight: class names only (`hljs-keyword`), no inline styles, so it works under
 * the window's CSP. Hand-written in place of rehype-highlight for speed: react-markdown calls a
 * plugin's attacher on every render, and rehype-highlight creates a new lowlight there, whose
 * grammars are then compiled again for every message (a second of work per screen while scrolling).
 * One lowlight for the page compiles each grammar once.
 */
import type { Element, Root, RootContent } from 'hast';
import { toText } from 'hast-util-to-text';
import { common, createLowlight } from 'lowlight';

const lowlight = createLowlight(common);

/** The `language-x` of a `<code>` element, when lowlight knows it. */
function languageOf(code: Element): string | null {
  const classes = code.properties.className;
  if (!Array.isArray(classes)) return null;
  for (const name of classes) {
    const language = typeof name === 'string' && name.startsWith('language-') ? name.slice('language-'.length) : null;
    if (language && lowlight.registered(language)) return language;
  }
  return null;
}

function visit(node: Root | RootContent): void {
  if (node.type !== 'root' && node.type !== 'element') return;
  if (node.type === 'element' && node.tagName === 'pre') {
    const code = node.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code');
    const language = code ? languageOf(code) : null;
    if (code && language) {
      code.children = lowlight.highlight(language, toText(code)).children as Element['children'];
      code.properties.className = [...(code.properties.className as string[]), 'hljs'];
      return;
    }
  }
  for (const child of node.children) visit(child);
}

/** The plugin: `rehypePlugins={[highlightCode]}`. */
export function highlightCode() {
  return (tree: Root): void => visit(tree);
}
