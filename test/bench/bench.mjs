#!/usr/bin/env node
/**
 * `npm run bench`: what plan and apply cost against the emulator, on a small and a large tenant (see tenant.mjs).
 * idm runs as its users run it, the built CLI in its own process, so that wall time and peak memory are idm's alone
 * (config loading included); the emulator serves from this process and counts the requests. For each run: requests
 * made, the minimum the data needs (minimum.mjs), their ratio, wall time and peak RSS; under a rate limit, the
 * request rate achieved as a share of the limit, the 429s and whether any request failed. Prints a table and the
 * targets, and writes test/bench/results.json. A script, not a test.
 *
 * The large apply from empty creates all 100,000 users through idm, one request each (the API has no bulk create):
 * about a minute. BENCH_LARGE_APPLY_USERS=N applies only the first N; the rest are then imported through the
 * emulator's admin hook (as an import in Kinde's admin UI would), so that the plan still reads a tenant of full size.
 * BENCH_LATENCY_MS sets the latency of the throttled runs (default 50). Arguments name the groups to run (`small`,
 * `throttled`, `large`; all by default).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startKindeEmulator } from '../../dist/src/emulator/kinde/index.js';
import { minimumApplyFromEmpty, minimumPlan } from './minimum.mjs';
import { sizes, tenantData, writeConfig } from './tenant.mjs';

const bin = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const probe = pathToFileURL(fileURLToPath(new URL('./usage-probe.mjs', import.meta.url))).href;
const resultsFile = new URL('./results.json', import.meta.url);
const largeApplyUsers = Number(process.env.BENCH_LARGE_APPLY_USERS ?? sizes.large.users);
/** The rate limit of the throttled runs: a fixed window, as the emulator's --rate-limit 20/1s. */
const rateLimit = { requests: 20, windowMs: 1000 };
/** Added to every answer of the throttled runs, as a network between idm and Kinde would. */
const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 50);

const credentials = { clientId: 'bench', clientSecret: 'bench-secret' };
const work = mkdtempSync(join(tmpdir(), 'idm-bench-'));

/** A clean environment pointing at `emulator`: nothing of the developer's KINDE_* leaks in. */
function envFor(emulator, usageFile) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KINDE_') && k !== 'FORCE_COLOR'));
  return { ...env, NO_COLOR: '1', KINDE_DOMAIN: emulator.url, KINDE_MANAGEMENT_CLIENT_ID: credentials.clientId, KINDE_MANAGEMENT_CLIENT_SECRET: credentials.clientSecret, IDM_BENCH_USAGE_FILE: usageFile };
}

/**
 * Runs the CLI once; output goes to files (an apply of many users prints a long plan). While it runs, the
 * emulator's request count is sampled, so that the rate is measured over the time requests were being made,
 * not over node's start-up and the config's loading.
 */
async function idm(emulator, args, name) {
  const out = join(work, `${name}.out`);
  const err = join(work, `${name}.err`);
  const usageFile = join(work, `${name}.usage`);
  const [stdout, stderr] = [openSync(out, 'w'), openSync(err, 'w')];
  const start = performance.now();
  let first;
  let last;
  let seen = emulator.stats().requests;
  const sampler = setInterval(() => {
    const now = emulator.stats().requests;
    if (now !== seen) {
      first ??= performance.now();
      last = performance.now();
      seen = now;
    }
  }, 20);
  const code = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', probe, bin, ...args], { cwd: work, env: envFor(emulator, usageFile), stdio: ['ignore', stdout, stderr] });
    child.on('error', reject);
    child.on('exit', (c) => resolve(c ?? 1));
  });
  clearInterval(sampler);
  const wallMs = performance.now() - start;
  closeSync(stdout);
  closeSync(stderr);
  return {
    code,
    stdout: readFileSync(out, 'utf8'),
    stderr: readFileSync(err, 'utf8'),
    wallMs,
    activeMs: first === undefined ? wallMs : last - first,
    ...JSON.parse(readFileSync(usageFile, 'utf8')),
  };
}

const tail = (text) => text.trim().split('\n').slice(-15).join('\n');

/** One row of the table: runs `args`, checks the exit code, and reads the emulator's counters. */
async function measure(emulator, { tenant, run, args, minimum, expect }) {
  emulator.resetStats();
  const result = await idm(emulator, args, `${tenant}-${run}`.replace(/\W+/g, '-'));
  if (result.code !== 0 || (expect && !expect.test(result.stdout))) {
    throw new Error(`${tenant}, ${run}: idm ${args.join(' ')} exited ${result.code}\n${tail(result.stdout)}\n${tail(result.stderr)}`);
  }
  const stats = emulator.stats();
  return {
    tenant,
    run,
    requests: stats.requests,
    minimum,
    ratio: +(stats.requests / minimum).toFixed(3),
    wallSeconds: +(result.wallMs / 1000).toFixed(2),
    cpuSeconds: +(result.cpuMs / 1000).toFixed(2),
    peakRssMb: Math.round(result.peakRssBytes / 2 ** 20),
    rateLimited: stats.rateLimited,
    activeSeconds: result.activeMs / 1000,
    tokens: stats.tokensIssued,
  };
}

/** Org codes by external id, as the API lists them: the admin import takes codes. */
async function orgCodes(emulator) {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: credentials.clientId, client_secret: credentials.clientSecret, audience: `${emulator.url}/api` });
  const token = (await (await fetch(`${emulator.url}/oauth2/token`, { method: 'POST', body: form })).json()).access_token;
  const codes = new Map();
  let next = '';
  do {
    const page = await (await fetch(`${emulator.url}/api/v1/organizations?page_size=500${next ? `&next_token=${next}` : ''}`, { headers: { authorization: `Bearer ${token}` } })).json();
    for (const o of page.organizations ?? []) if (o.external_id) codes.set(o.external_id, o.code);
    next = page.next_token ?? '';
  } while (next);
  return codes;
}

/** Users `from`..`to` of the config, imported as Kinde's admin UI would: no requests through the API. */
async function importUsers(emulator, data, from, to) {
  const codes = await orgCodes(emulator);
  const seeds = data.users(from, to).map((u) => ({
    provided_id: u.id,
    email: u.identities[0].value,
    first_name: u.first_name,
    last_name: u.last_name,
    org_codes: u.organizations.map((m) => codes.get(m.external_id)),
  }));
  for (let i = 0; i < seeds.length; i += 10_000) emulator.admin.seedUsers(seeds.slice(i, i + 10_000));
}

const applied = /Apply complete/;
const noChanges = /No changes\./;

async function tenantRuns(name, size) {
  const data = tenantData(size);
  const applyUsers = name === 'large' ? Math.min(largeApplyUsers, size.users) : size.users;
  const tenant = name;
  const applyConfig = writeConfig(work, `${name}-apply`, data, applyUsers);
  const fullConfig = applyUsers === size.users ? applyConfig : writeConfig(work, `${name}-full`, data, size.users);
  const emulator = await startKindeEmulator(credentials);
  try {
    const apply = await measure(emulator, {
      tenant,
      run: applyUsers === size.users ? 'apply from empty' : `apply from empty (${applyUsers.toLocaleString('en')} of the users)`,
      args: ['apply', '-c', applyConfig, '--auto-approve'],
      minimum: minimumApplyFromEmpty(data, applyUsers),
      expect: applied,
    });
    if (applyUsers < size.users) await importUsers(emulator, data, applyUsers, size.users);
    const plan = await measure(emulator, {
      tenant,
      run: 'plan, no changes',
      args: ['plan', '-c', fullConfig, '--detailed-exitcode'],
      // The tenant: the config's orgs and the default one; the config's users.
      minimum: minimumPlan(data, { organizations: size.organizations + 1, users: size.users }),
      expect: noChanges,
    });
    return [apply, plan];
  } finally {
    await emulator.close();
  }
}

/** Apply from empty under the rate limit: once reacting to 429s alone, once also pacing with --max-rps at the limit. */
async function throttledRuns() {
  const data = tenantData(sizes.small);
  const config = writeConfig(work, 'small-throttled', data, sizes.small.users);
  const limitPerSecond = (rateLimit.requests * 1000) / rateLimit.windowMs;
  const rows = [];
  for (const [run, extra] of [
    [`apply from empty, limit ${limitPerSecond}/s`, []],
    [`apply from empty, limit ${limitPerSecond}/s, --max-rps ${limitPerSecond}`, ['--max-rps', String(limitPerSecond)]],
  ]) {
    const emulator = await startKindeEmulator({ ...credentials, rateLimit, latencyMs });
    try {
      const row = await measure(emulator, { tenant: 'small', run, args: ['apply', '-c', config, '--auto-approve', ...extra], minimum: minimumApplyFromEmpty(data, sizes.small.users), expect: applied });
      // The requests the limit let through (the token endpoint is not limited), as a share of what it allows while
      // requests are being made: D seconds from the first request to the last touch at most D / window + 1 windows.
      const served = row.requests - row.tokens - row.rateLimited;
      const windows = (row.activeSeconds * 1000) / rateLimit.windowMs + 1;
      rows.push({ ...row, rateShare: +(served / (windows * rateLimit.requests)).toFixed(3) });
    } finally {
      await emulator.close();
    }
  }
  return rows;
}

function targets(rows) {
  const plans = rows.filter((r) => r.run === 'plan, no changes');
  const applies = rows.filter((r) => r.run.startsWith('apply from empty') && r.rateShare === undefined);
  const throttled = rows.filter((r) => r.rateShare !== undefined);
  const large = rows.find((r) => r.tenant === 'large' && r.run === 'plan, no changes');
  // A group that was not run has nothing to judge: `met` is then null.
  const check = (name, measured, ok, value) => ({ target: name, met: measured ? ok : null, value: measured ? value : 'not run' });
  return [
    check('plan requests within 1.1x of the minimum', plans.length > 0, plans.every((r) => r.ratio <= 1.1), plans.map((r) => `${r.tenant} ${r.ratio}x`).join(', ')),
    check('apply from empty within 1.2x of the minimum', applies.length > 0, applies.every((r) => r.ratio <= 1.2), applies.map((r) => `${r.tenant} ${r.ratio}x`).join(', ')),
    // Every run exits 0 with "Apply complete" or the bench stops: no failed request.
    check('under a rate limit, at least 90% of the allowed rate, no failed request', throttled.length > 0, throttled.every((r) => r.rateShare >= 0.9), throttled.map((r) => `${Math.round(r.rateShare * 100)}% (${r.rateLimited} x 429)`).join(', ')),
    check('no-change plan of the large tenant under 10 s and 512 MB', large !== undefined, large?.wallSeconds < 10 && large?.peakRssMb < 512, large && `${large.wallSeconds} s, ${large.peakRssMb} MB`),
  ];
}

function printTable(rows) {
  const header = ['tenant', 'run', 'requests', 'minimum', 'ratio', 'wall s', 'CPU s', 'peak RSS MB', 'rate / limit', '429s'];
  const cells = rows.map((r) => [
    r.tenant, r.run, r.requests.toLocaleString('en'), r.minimum.toLocaleString('en'), r.ratio.toFixed(2), r.wallSeconds.toFixed(1), r.cpuSeconds.toFixed(1), String(r.peakRssMb),
    r.rateShare === undefined ? '' : `${Math.round(r.rateShare * 100)}%`, r.rateShare === undefined ? '' : String(r.rateLimited),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((v, i) => (i < 2 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join(' | ')} |`;
  console.log([line(header), `|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`, ...cells.map(line)].join('\n'));
}

try {
  // `node test/bench/bench.mjs small throttled` runs only those groups (all three by default).
  const only = new Set(process.argv.slice(2));
  const wanted = (group) => only.size === 0 || only.has(group);
  const rows = [
    ...(wanted('small') ? await tenantRuns('small', sizes.small) : []),
    ...(wanted('throttled') ? await throttledRuns() : []),
    ...(wanted('large') ? await tenantRuns('large', sizes.large) : []),
  ];
  printTable(rows);
  const described = (size) => `${size.roles} roles, ${size.permissions.toLocaleString('en')} permissions, ${size.organizations.toLocaleString('en')} orgs, ${size.users.toLocaleString('en')} users`;
  console.log(`\nsmall: ${described(sizes.small)}; large: ${described(sizes.large)}. Throttled runs: ${latencyMs} ms latency, a fixed window of ${rateLimit.requests} per ${rateLimit.windowMs} ms.`);
  const met = targets(rows);
  console.log('');
  for (const t of met) console.log(`${t.met === null ? '-     ' : t.met ? 'met   ' : 'MISSED'}  ${t.target}: ${t.value}`);
  // Wall times depend on what else the machine runs: the load says how busy it was.
  const machine = { cpus: cpus().length, model: cpus()[0]?.model, loadAverage: loadavg().map((l) => +l.toFixed(2)) };
  console.log(`\nNode ${process.version}, ${machine.cpus} CPUs, load average ${machine.loadAverage.join(' ')}`);
  const result = { node: process.version, date: new Date().toISOString(), machine, sizes, largeApplyUsers, rateLimit, latencyMs, rows, targets: met };
  writeFileSync(resultsFile, JSON.stringify(result, null, 2) + '\n');
  console.log(`\nWritten to ${fileURLToPath(resultsFile)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
