/**
 * Session names: generated from the project folder (`api`, then `api-2`, `api-3`, …), checked when
 * the owner picks one. A name is unique (ignoring case) among the sessions not archived, and never
 * the start of another session's id, so that a name and an id prefix cannot mean two sessions.
 */
import { SESSION_NAME_MAX, sessionName } from '../../contract/index.ts';
import { ConflictError, InvalidRequestError } from '../errors.ts';

/** Longest folder part of a generated name, leaving room for `-NNN`. */
const BASE_MAX = 24;

/** What naming needs to know about the other sessions. */
export interface NameBook {
  /** The session not archived holding `name` (ignoring case), if any. */
  holder(name: string): string | undefined;
  /** Ids starting with `prefix`. */
  idsWithPrefix(prefix: string): string[];
}

/** The folder part of a generated name: the project folder's name in letters, digits and dashes. */
export function nameBase(cwd: string): string {
  const folder =
    cwd
      .split(/[\\/]+/)
      .filter(Boolean)
      .at(-1) ?? '';
  const slug = folder
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, BASE_MAX)
    .replace(/-+$/, '');
  return slug || 'session';
}

const free = (book: NameBook, name: string, self?: string): boolean => {
  const holder = book.holder(name);
  return (holder === undefined || holder === self) && book.idsWithPrefix(name).every((id) => id === self);
};

/** A free name for a session in `cwd`: the folder's name, else the first free `<folder>-N`. */
export function generateName(cwd: string, book: NameBook, self?: string): string {
  const base = nameBase(cwd);
  if (free(book, base, self)) return base;
  // Bounded: each taken candidate is one session, so some n ≤ (sessions + 2) is free.
  for (let n = 2; ; n++) {
    const name = `${base}-${n}`.slice(0, SESSION_NAME_MAX);
    if (free(book, name, self)) return name;
  }
}

/**
 * The owner's new name for session `self`, normalised (trimmed, lower case), or an error saying
 * what to change: the name's form, or which session already answers to it.
 */
export function checkName(given: string, book: NameBook, self: string): string {
  const parsed = sessionName.safeParse(given);
  if (!parsed.success) throw new InvalidRequestError(`"${given}" cannot be a session name: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
  const name = parsed.data;
  const holder = book.holder(name);
  if (holder !== undefined && holder !== self) throw new ConflictError(`The name "${name}" is taken by session ${holder.slice(0, 8)}; pick another.`);
  const prefixed = book.idsWithPrefix(name).find((id) => id !== self);
  if (prefixed) throw new ConflictError(`"${name}" is how session ${prefixed.slice(0, 8)}'s id begins, so it would be ambiguous; pick another.`);
  return name;
}
