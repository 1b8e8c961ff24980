import { readFileSync } from 'node:fs';

/** Reins' version, from package.json (read once). */
export const REINS_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
