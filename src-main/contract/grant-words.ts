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

/** How a grant's subject reads in a sentence: an action kind, or an agent's tool name. */
const SUBJECT_WORDS: Readonly<Record<string, { one: string; many: string }>> = {
  read: { one: 'reading', many: 'reads' },
  write: { one: 'writing', many: 'writes' },
  edit: { one: 'editing', many: 'edits' },
  search: { one: 'searching', many: 'searches' },
  fetch: { one: 'fetching', many: 'fetches' },
  shell: { one: 'running', many: 'commands' },
};

/**
 * What a grant of `subject` (see grantSubject) with `matcher` covers, in one sentence fragment:
 * "the command `rm -rf build` exactly", "`npm test` with any further arguments",
 * "editing src/a.ts", "searches anywhere in src/", "fetches of pages on https://example.com".
 * `projectDir` shortens paths inside the project. `clean` (a redactor) runs on the command or input
 * before it is shortened: shortening first could cut a secret so that it is no longer recognised.
 */
export function describeGrantMatcher(subject: string, matcher: GrantMatcher, projectDir?: string, clean: (text: string) => string = (t) => t): string {
  const words = SUBJECT_WORDS[subject] ?? { one: `${subject} of`, many: `${subject} calls` };
  switch (matcher.kind) {
    case 'command':
      return `the command \`${clip(clean(matcher.command))}\` exactly`;
    case 'command-prefix':
      return `\`${clip(clean(matcher.prefix))}\` with any further arguments`;
    case 'file':
      return `${words.one} ${shortPath(matcher.path, projectDir)}`;
    case 'folder': {
      const where = shortPath(matcher.path, projectDir);
      return `${words.many} of anything in ${where === '.' ? 'the project folder' : `${where}/`}`;
    }
    case 'origin':
      return `${words.many} of pages on ${matcher.origin}`;
    case 'input':
      return `${subject} with exactly this input (${clip(clean(matcher.input), 80)})`;
    case 'any':
      return `every ${subject} call, whatever its input`;
  }
}
