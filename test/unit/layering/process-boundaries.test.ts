import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Each process may only reach what it really has at run time: the core runs under plain Node (no
// 'electron'), the sandboxed preload can require nothing but 'electron', and the renderer shares only
// types with the main process. These tests read the import statements of every source file.

const root = resolve(import.meta.dirname, '..', '..', '..');

interface ImportRef {
  file: string;
  specifier: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts'))
    .map((name) => join(dir, name));
}

/** Removes comments so prose like "never import 'electron'" is not mistaken for an import. */
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

function importsOf(file: string): ImportRef[] {
  const code = stripComments(readFileSync(join(root, file), 'utf8'));
  const refs: ImportRef[] = [];
  const staticForm = /\b(import|export)\s+(type\s+)?([\w*${}\s,]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (const match of code.matchAll(staticForm)) {
    const clause = match[3] ?? '';
    // `import { type A, type B } from` is type-only too.
    const inlineTypesOnly =
      /^\{[^}]*\}$/.test(clause.trim()) &&
      clause
        .replace(/[{}\s]/g, '')
        .split(',')
        .every((part) => part.startsWith('type'));
    refs.push({ file, specifier: match[4]!, typeOnly: Boolean(match[2]) || inlineTypesOnly });
  }
  for (const match of code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) refs.push({ file, specifier: match[1]!, typeOnly: false });
  for (const match of code.matchAll(/\b(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    refs.push({ file, specifier: match[1]!, typeOnly: false });
  }
  return refs;
}

const isElectron = (ref: ImportRef): boolean => ref.specifier === 'electron' || ref.specifier.startsWith('electron/');
const show = (refs: ImportRef[]): string[] => refs.map((ref) => `${ref.file} → ${ref.specifier}${ref.typeOnly ? ' (type)' : ''}`);

/** Contract modules with no run-time imports outside this list: the renderer may use their values. */
const DEPENDENCY_FREE_CONTRACT = ['action.ts', 'action-words.ts', 'grant-words.ts', 'domain.ts', 'budget-words.ts', 'provider-errors.ts'];

describe('process boundaries', () => {
  const mainFiles = sourceFiles('src-main');
  const coreSide = mainFiles.filter((file) => !file.startsWith(join('src-main', 'desktop')));

  it('the scanner sees imports, including the desktop host importing electron', () => {
    expect(coreSide.length).toBeGreaterThan(20);
    const desktop = importsOf(join('src-main', 'desktop', 'main.ts'));
    expect(desktop.some(isElectron)).toBe(true);
    expect(desktop.some((ref) => ref.specifier === '../daemon/index.ts')).toBe(true);
  });

  it('nothing in src-main outside desktop/ imports electron, not even its types', () => {
    expect(show(coreSide.flatMap(importsOf).filter(isElectron))).toEqual([]);
  });

  it('the renderer never imports electron', () => {
    expect(show(sourceFiles('src-renderer').flatMap(importsOf).filter(isElectron))).toEqual([]);
  });

  it('the renderer takes from src-main only contract types, the dependency-free contract modules, and the shared API client', () => {
    const rendererRoot = join(root, 'src-renderer');
    const crossing = sourceFiles('src-renderer')
      .flatMap(importsOf)
      .filter((ref) => ref.specifier.startsWith('.'))
      .filter((ref) => relative(rendererRoot, resolve(root, ref.file, '..', ref.specifier)).startsWith('..'));
    expect(crossing.length).toBeGreaterThan(0);
    // These import nothing at run time but each other's dependency-free parts (tested below): the same
    // words, constants and client on every surface without pulling zod or Node into the renderer.
    const runtimeAllowed = new Set(
      [...DEPENDENCY_FREE_CONTRACT.map((file) => join('contract', file)), join('client', 'api-client.ts')].map((file) => join(root, 'src-main', file)),
    );
    const bad = crossing.filter((ref) => {
      const target = resolve(root, ref.file, '..', ref.specifier);
      if (runtimeAllowed.has(target)) return false;
      return !target.startsWith(join(root, 'src-main', 'contract')) || !ref.typeOnly;
    });
    expect(show(bad)).toEqual([]);
  });

  it('the renderer uses no Node built-ins and only its browser packages', () => {
    const packages = sourceFiles('src-renderer')
      .flatMap(importsOf)
      .filter((ref) => !ref.specifier.startsWith('.') && !ref.typeOnly)
      .map((ref) => ref.specifier);
    const allowed =
      /^(react|react-dom|zustand|strip-ansi|@xterm\/xterm|@xterm\/addon-fit|qrcode|react-markdown|remark-gfm|lowlight|hast-util-to-text|diff|@tanstack\/react-virtual)(\/|$)/;
    expect(packages.filter((specifier) => !allowed.test(specifier))).toEqual([]);
  });

  it('the sandboxed preload requires nothing at run time but electron', () => {
    const runtime = importsOf(join('src-preload', 'index.ts')).filter((ref) => !ref.typeOnly);
    expect(runtime.map((ref) => ref.specifier)).toEqual(['electron']);
  });

  /** Resolved import targets of `files`, as paths relative to the repository root. */
  const targetsOf = (files: string[]) =>
    files
      .flatMap(importsOf)
      .filter((ref) => ref.specifier.startsWith('.'))
      .map((ref) => ({ ref, target: relative(root, resolve(root, ref.file, '..', ref.specifier)) }));

  it('the core imports no surface and no host: surfaces and hosts depend on the core, never the reverse', () => {
    const core = targetsOf(sourceFiles(join('src-main', 'core')));
    expect(core.length).toBeGreaterThan(100);
    const outward = ['surfaces', 'cli', 'daemon', 'desktop'].map((dir) => join('src-main', dir));
    expect(show(core.filter(({ target }) => outward.some((dir) => target.startsWith(dir))).map(({ ref }) => ref))).toEqual([]);
  });

  it('the words of actions import nothing at run time but the action module, which imports only types', () => {
    const words = importsOf(join('src-main', 'contract', 'action-words.ts')).filter((ref) => !ref.typeOnly);
    expect(words.map((ref) => ref.specifier)).toEqual(['./action.ts']);
    expect(importsOf(join('src-main', 'contract', 'action.ts')).filter((ref) => !ref.typeOnly)).toEqual([]);
  });

  it('the dependency-free contract modules import at run time only each other', () => {
    for (const file of DEPENDENCY_FREE_CONTRACT) {
      const runtime = importsOf(join('src-main', 'contract', file)).filter((ref) => !ref.typeOnly);
      expect(runtime.filter((ref) => !DEPENDENCY_FREE_CONTRACT.includes(ref.specifier.replace(/^\.\//, '')))).toEqual([]);
    }
  });

  it('the shared API client takes only types, and only from the contract', () => {
    const refs = importsOf(join('src-main', 'client', 'api-client.ts'));
    expect(refs.length).toBeGreaterThan(0);
    expect(show(refs.filter((ref) => !ref.typeOnly || !ref.specifier.startsWith('../contract/')))).toEqual([]);
  });

  it('surfaces reach the core through the facade of the contract, not its composition root', () => {
    const surfaces = targetsOf(sourceFiles(join('src-main', 'surfaces')));
    expect(surfaces.length).toBeGreaterThan(50);
    const root = join('src-main', 'core', 'create-core.ts');
    expect(show(surfaces.filter(({ target }) => target === root || target === join('src-main', 'core', 'index.ts')).map(({ ref }) => ref))).toEqual([]);
  });

  it('the contract imports nothing but itself and zod', () => {
    const refs = sourceFiles(join('src-main', 'contract')).flatMap(importsOf);
    const bad = refs.filter((ref) =>
      ref.specifier.startsWith('.') ? !resolve(root, ref.file, '..', ref.specifier).startsWith(join(root, 'src-main', 'contract')) : ref.specifier !== 'zod',
    );
    expect(show(bad)).toEqual([]);
  });
});
