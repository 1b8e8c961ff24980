import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The workflows run only on GitHub's runners; here they are parsed and their promises checked, so a
// broken indentation or a lost job fails before a tag is pushed.
const root = join(import.meta.dirname, '..', '..', '..');

interface Step {
  run?: string;
  uses?: string;
  env?: Record<string, string>;
}
interface Job {
  name?: string;
  'runs-on': string;
  container?: string;
  strategy?: { matrix: { os: string[] } };
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const workflow = (file: string) => parse(readFileSync(join(root, '.github', 'workflows', file), 'utf8')) as Workflow;
const runs = (job: Job) => job.steps.flatMap((step) => (step.run ? [step.run] : []));

describe('.github/workflows', () => {
  it('ci.yml runs the whole suite through .ci/run on Debian, and the unit tests on macOS and Windows', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    for (const job of Object.values(ci.jobs)) expect(job.name).toBeTruthy();
    expect(ci.jobs.linux).toMatchObject({ 'runs-on': 'ubuntu-latest', container: 'debian:bookworm' });
    expect(runs(ci.jobs.linux!)).toContain('bash .ci/run');
    expect(ci.jobs.unit?.strategy?.matrix.os).toEqual(['macos-latest', 'windows-latest']);
    expect(runs(ci.jobs.unit!)).toEqual(['npm ci', 'npx vitest run test/unit']);
  });

  it('release.yml builds and uploads the installers on each OS when a version tag is pushed', () => {
    const release = workflow('release.yml');
    expect(release.on).toEqual({ push: { tags: ['v*'] } });
    const job = release.jobs.installers!;
    expect(job.name).toBeTruthy();
    expect(job.strategy?.matrix.os).toEqual(['macos-latest', 'windows-latest', 'ubuntu-latest']);
    expect(runs(job)).toEqual(['npm ci', 'npm run --silent build', 'npx electron-builder --publish always']);
    const builderEnv = job.steps.find((step) => step.run?.startsWith('npx electron-builder'))?.env ?? {};
    // Every credential comes from the repository's secrets, never from the file itself.
    for (const name of ['GH_TOKEN', 'CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID']) {
      expect(builderEnv[name]).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
    }
  });
});
