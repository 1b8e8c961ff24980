/**
 * Whether a variable, key or flag name denotes a secret (`GITHUB_TOKEN`, `apiKey`,
 * `"password"`, `x-api-key`, `--client-secret`, `GITHUBTOKEN`). Names are split into words on
 * `_ - .` and camelCase; a word counts when it ends with a secret word, so `tokenizer`,
 * `max_tokens` and `secretary` are not secrets.
 */

/** A word that is, or ends with, one of these is a secret (`token`, `githubtoken`, `dbpassword`). */
const SECRET_WORDS = ['token', 'secret', 'password', 'passwd', 'passphrase', 'apikey', 'credential', 'credentials', 'privatekey'];
/** Two-word names that are secrets only together (`api key`, not every `key`). */
const SECRET_PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['api', 'key'],
  ['access', 'key'],
  ['private', 'key'],
  ['auth', 'key'],
  ['signing', 'key'],
  ['encryption', 'key'],
  ['master', 'key'],
  ['session', 'key'],
  ['account', 'key'],
  ['shared', 'key'],
];

/** True when `name` names a secret value. */
export function isSecretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (SECRET_WORDS.some((s) => word.endsWith(s))) return true;
    if (SECRET_PAIRS.some(([a, b]) => words[i] === a && words[i + 1] === b)) return true;
  }
  return false;
}
