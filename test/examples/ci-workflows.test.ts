/**
 * The example workflows (examples/ci) cannot rot: every idm command they run exists with the flags they pass, the
 * actions they use are pinned, and their shell steps treat idm's exit codes as the README says.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const dir = fileURLToPath(new URL('../../examples/ci/', import.meta.url));

interface Step { readonly name?: string; readonly id?: string; readonly uses?: string; readonly run?: string; readonly with?: Record<string, unknown>; readonly if?: string }
interface Job { readonly 'runs-on': string; readonly needs?: string | string[]; readonly environment?: string; readonly env?: Record<string, string>; readonly steps: Step[]; readonly strategy?: { matrix: Record<string, unknown> } }
interface Workflow { readonly on: Record<string, unknown>; readonly jobs: Record<string, Job> }

const workflow = (file: string): Workflow => parse(readFileSync(join(dir, file), 'utf8')) as Workflow;
const files = ['plan.yml', 'apply.yml', 'drift.yml'] as const;

/** One idm command line found in a workflow: where it is, and its words after `idm`. */
interface Invocation { readonly where: string; readonly words: readonly string[] }

/** Shell words of a line, quotes removed (enough for the commands a workflow writes: no nesting, no heredocs). */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
}

/** Every `idm ...` in a run script: continuation lines joined, split at ; && || | and at keywords like `if`. */
function invocations(file: string): Invocation[] {
  const found: Invocation[] = [];
  for (const [jobName, job] of Object.entries(workflow(file).jobs)) {
    for (const [i, step] of job.steps.entries()) {
      if (!step.run) continue;
      const script = step.run.replace(/\\\n/g, ' ');
      for (const line of script.split('\n')) {
        for (const command of line.replace(/#.*$/, '').split(/;|&&|\|\||\|/)) {
          const w = words(command);
          const at = w.indexOf('idm');
          if (at >= 0 && w.slice(0, at).every((x) => /^(if|then|else|!|time|[A-Z_]+=\S*)$/.test(x))) {
            found.push({ where: `${file}: job ${jobName}, step ${step.name ?? i + 1}`, words: w.slice(at + 1) });
          }
        }
      }
    }
  }
  return found;
}

interface FlagDefinition { readonly type: 'boolean' | 'option'; readonly char?: string; readonly options?: readonly string[] }

/** The flags of the oclif command `id` (e.g. `plan`, `users convert`), as its class declares them. */
async function flagsOf(id: string): Promise<Map<string, FlagDefinition>> {
  const module = await import(new URL(`../../commands/${id.replace(' ', '/')}.ts`, import.meta.url).href);
  const command = module.default as { flags?: Record<string, FlagDefinition>; baseFlags?: Record<string, FlagDefinition> };
  const all = { ...command.baseFlags, ...command.flags };
  const byName = new Map<string, FlagDefinition>();
  for (const [name, flag] of Object.entries(all)) {
    byName.set(`--${name}`, flag);
    if (flag.char) byName.set(`-${flag.char}`, flag);
  }
  return byName;
}

const topics = new Set(['users']);

/**
 * What is wrong with one invocation, against the command classes: unknown commands, unknown flags, missing values,
 * values outside a flag's options (unless they come from a shell variable).
 */
async function problems(inv: Invocation): Promise<string[]> {
  const [first, second] = inv.words;
  const id = first !== undefined && topics.has(first) ? `${first} ${second}` : first;
  if (!id) return [`${inv.where}: idm with no command`];
  let flags: Map<string, FlagDefinition>;
  try {
    flags = await flagsOf(id);
  } catch {
    return [`${inv.where}: idm has no command "${id}"`];
  }
  const out: string[] = [];
  const rest = inv.words.slice(id.split(' ').length);
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    if (!word.startsWith('-')) continue;
    const [name, inline] = word.split('=', 2) as [string, string | undefined];
    const flag = flags.get(name);
    if (!flag) out.push(`${inv.where}: idm ${id} defines no flag ${name}`);
    else if (flag.type === 'boolean' && inline !== undefined) out.push(`${inv.where}: ${name} is a switch and takes no value`);
    else if (flag.type === 'option') {
      const value = inline ?? rest[++i];
      if (value === undefined || value.startsWith('-')) out.push(`${inv.where}: ${name} needs a value`);
      else if (flag.options && !value.includes('$') && !flag.options.includes(value)) out.push(`${inv.where}: ${name} takes one of ${flag.options.join(', ')}, not ${value}`);
    }
  }
  return out;
}

describe('examples/ci workflows', () => {
  it('run only idm commands and flags the CLI defines', async () => {
    const all = files.flatMap(invocations);
    expect(all.length).toBeGreaterThanOrEqual(6);
    const found = (await Promise.all(all.map(problems))).flat();
    expect(found).toEqual([]);
  });

  it('find the idm commands they mean to run', () => {
    const lines = (file: string) => invocations(file).map((i) => i.words.join(' '));
    expect(lines('plan.yml')).toEqual(['validate --env $ENVIRONMENT', 'plan --env $ENVIRONMENT --detailed-exitcode --out plan-$ENVIRONMENT.json']);
    expect(lines('apply.yml')).toEqual(['apply --env dev --auto-approve', 'apply --env staging --auto-approve', 'apply --env prod --auto-approve']);
    expect(lines('drift.yml')).toEqual(['plan --env prod --detailed-exitcode']);
  });

  it('the checker catches an unknown flag, a missing value and an unknown command', async () => {
    const at = (w: string) => ({ where: 'test', words: w.split(' ') });
    expect(await problems(at('plan --no-such-flag'))).toEqual(['test: idm plan defines no flag --no-such-flag']);
    expect(await problems(at('plan --out --json'))).toEqual(['test: --out needs a value']);
    expect(await problems(at('plan --json=yes'))).toEqual(['test: --json is a switch and takes no value']);
    expect(await problems(at('deploy'))).toEqual(['test: idm has no command "deploy"']);
    expect(await problems(at('users convert in.csv --to xml'))).toEqual(['test: --to takes one of yaml, ndjson, not xml']);
    expect(await problems(at('users convert in.csv --to=ndjson --format $FORMAT --out users.yaml --skip-invalid'))).toEqual([]);
    expect(await problems(at('apply -c idm.yaml --auto-approve --debug'))).toEqual([]);
  });

  it('pin every action to a full commit and run Node 20', () => {
    for (const file of files) {
      for (const job of Object.values(workflow(file).jobs)) {
        for (const step of job.steps.filter((s) => s.uses)) expect(step.uses, `${file}: ${step.uses}`).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
        expect(job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version'], file).toBe(20);
        expect(job.steps.some((s) => s.run?.includes('npm ci')), file).toBe(true);
      }
    }
  });

  it('plan on pull requests for every environment, apply on main in order dev -> staging -> prod behind GitHub environments, check drift on a schedule', () => {
    const plan = workflow('plan.yml');
    expect(Object.keys(plan.on)).toEqual(['pull_request']);
    expect(plan.jobs.plan!.strategy!.matrix.environment).toEqual(['dev', 'staging', 'prod']);
    expect(plan.jobs.plan!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))?.with?.path).toBe('plan-${{ matrix.environment }}.json');

    const apply = workflow('apply.yml');
    expect(apply.on).toEqual({ push: { branches: ['main'] } });
    expect(Object.entries(apply.jobs).map(([name, job]) => [name, job.environment, job.needs])).toEqual([
      ['dev', 'dev', undefined],
      ['staging', 'staging', 'dev'],
      ['prod', 'prod', 'staging'],
    ]);
    for (const [name, job] of Object.entries(apply.jobs)) {
      expect(Object.keys(job.env ?? {}), name).toEqual([`KINDE_${name.toUpperCase()}_CLIENT_ID`, `KINDE_${name.toUpperCase()}_CLIENT_SECRET`]);
      expect(job.env![`KINDE_${name.toUpperCase()}_CLIENT_SECRET`]).toBe(`\${{ secrets.KINDE_${name.toUpperCase()}_CLIENT_SECRET }}`);
    }

    const drift = workflow('drift.yml');
    expect((drift.on.schedule as { cron: string }[])[0]!.cron).toMatch(/^(\S+ ){4}\S+$/);
  });
});

/** Runs a step's script as GitHub does (`bash -e`), with `idm` on PATH answering with `code`. */
function runStep(script: string, code: number): Promise<{ code: number; output: string; stdout: string }> {
  const bin = mkdtempSync(join(tmpdir(), 'idm-ci-'));
  writeFileSync(join(bin, 'idm'), `#!/bin/sh\nexit ${code}\n`);
  chmodSync(join(bin, 'idm'), 0o755);
  const output = join(bin, 'github-output');
  writeFileSync(output, '');
  return new Promise((resolve) => {
    execFile('bash', ['-e', '-c', script], { env: { PATH: `${bin}:${process.env.PATH}`, GITHUB_OUTPUT: output, ENVIRONMENT: 'dev' } }, (error, stdout) => {
      resolve({ code: error ? Number(error.code) : 0, output: readFileSync(output, 'utf8'), stdout });
    });
  });
}

describe('examples/ci exit codes', () => {
  const planStep = workflow('plan.yml').jobs.plan!.steps.find((s) => s.id === 'plan')!.run!;
  const driftStep = workflow('drift.yml').jobs.drift!.steps.find((s) => s.run?.includes('idm plan'))!.run!;

  it.each([
    [0, 0, 'no changes'],
    [2, 0, 'changes pending'],
    [1, 1, undefined],
    [3, 3, undefined],
  ])('pull request plan: idm exits %i, the step exits %i and records it', async (idmCode, stepCode, notice) => {
    const r = await runStep(planStep, idmCode);
    expect(r.code).toBe(stepCode);
    expect(r.output).toBe(`exitcode=${idmCode}\n`);
    if (notice) expect(r.stdout).toContain(`::notice title=idm plan (dev)::${notice}`);
  });

  it.each([
    [0, 0],
    [2, 2],
    [1, 1],
    [3, 3],
  ])('drift check: idm exits %i, the job fails unless 0 (step exits %i)', async (idmCode, stepCode) => {
    const r = await runStep(driftStep, idmCode);
    expect(r.code).toBe(stepCode);
    expect(r.stdout.includes('::error title=Drift in prod::')).toBe(idmCode === 2);
  });
});
