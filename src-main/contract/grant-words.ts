/**
 * Grants in plain words, for approval cards, grant lists and audit entries: the owner must be able to
 * read exactly what a standing permission covers before creating it and while it lasts.
 */
import type { GrantMatcher } from './domain.ts';

/** `path` relative to `base` when inside it (`src/a.ts`), else as given. */
function shortPath(path: string, base: string | undefined): string {
  if (!base) return path;
  const root = base.endsWith('/') ? base : `${base}/`;
  if (path === base) return '.';
  return path.startsWith(root) ? path.slice(root.length) : path;
}

/** Keeps a long command or input readable in one line. */
function clip(text: string, max = 120): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/**
 * What a grant of `tool` with `matcher` covers, in one sentence fragment:
 * "the command `rm -rf build` exactly", "`npm test` with any further arguments",
 * "Edit of src/a.ts", "Grep anywhere in src/", "WebFetch of pages on https://example.com".
 * `projectDir` shortens paths inside the project. `clean` (a redactor) runs on the command or input
 * before it is shortened: shortening first could cut a secret so that it is no longer recognised.
 */
export function describeGrantMatcher(tool: string, matcher: GrantMatcher, projectDir?: string, clean: (text: string) => string = (t) => t): string {
  switch (matcher.kind) {
    case 'command':
      return `the command \`${clip(clean(matcher.command))}\` exactly`;
    case 'command-prefix':
      return `\`${clip(clean(matcher.prefix))}\` with any further arguments`;
    case 'file':
      return `${tool} of ${shortPath(matcher.path, projectDir)}`;
    case 'folder': {
      const where = shortPath(matcher.path, projectDir);
      return `${tool} of anything in ${where === '.' ? 'the project folder' : `${where}/`}`;
    }
    case 'origin':
      return `${tool} of pages on ${matcher.origin}`;
    case 'input':
      return `${tool} with exactly this input (${clip(clean(matcher.input), 80)})`;
    case 'any':
      return `every ${tool} call, whatever its input`;
  }
}
