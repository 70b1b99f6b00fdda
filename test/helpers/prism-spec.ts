/**
 * The Kratos spec rewritten so that Prism 5 actually validates it. As shipped, Prism checks almost nothing on the
 * identity operations, silently: its loader dereferences the spec, turns objects shared between operations back
 * into `$ref`s and bundles them per operation without cloning, so every operation after the first meets
 * `#/__bundled__/…` references it cannot resolve; and ajv refuses `nullable` without `type`
 * (`nullJsonRawMessage`). Prism treats a schema that does not compile as valid, so both kinds of schema pass
 * anything. Here every local `$ref` of the kept paths is inlined as a fresh copy (Kratos' identity and schema
 * operations have no recursive schemas) and `nullable` without `type` is dropped, which changes nothing since such
 * a schema already allows null. The contract is the shared spec's; only its shape changes.
 * prism-harness.test.ts in test/emulator/kratos shows the rewritten spec catching wrong answers.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../src/util/package-root.js';
import { kratosSpecPath } from './prism.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const outputDir = join(packageRoot(fileURLToPath(import.meta.url)), 'test', '.output');

function pointer(document: Json, ref: string): Json {
  return ref
    .slice(2)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<Json>((at, part) => {
      if (at === null || typeof at !== 'object' || Array.isArray(at) || !(part in at)) throw new Error(`unresolvable $ref ${ref}`);
      return at[part]!;
    }, document);
}

function inline(document: Json, value: Json, seen: readonly string[]): Json {
  if (Array.isArray(value)) return value.map((item) => inline(document, item, seen));
  if (value === null || typeof value !== 'object') return value;
  const ref = value.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    if (seen.includes(ref)) throw new Error(`recursive schema: ${[...seen, ref].join(' > ')}`);
    return inline(document, pointer(document, ref), [...seen, ref]);
  }
  const out: { [key: string]: Json } = {};
  for (const [key, child] of Object.entries(value)) out[key] = inline(document, child, seen);
  if (out.nullable === true && !('type' in out)) delete out.nullable;
  return out;
}

let written: Promise<string> | undefined;

/** Writes (once per process) the Kratos identity and schema operations, inlined, and returns the file's path. */
export function kratosSpecForPrism(): Promise<string> {
  written ??= (async () => {
    const spec = JSON.parse(await readFile(kratosSpecPath, 'utf8')) as { [key: string]: Json };
    const paths = spec.paths as { [key: string]: Json };
    const kept: { [key: string]: Json } = {};
    for (const [path, item] of Object.entries(paths)) {
      if (path.startsWith('/admin/identities') || path.startsWith('/schemas')) kept[path] = inline(spec, item, []);
    }
    const components = spec.components as { [key: string]: Json };
    const rewritten = { ...spec, paths: kept, components: { securitySchemes: components.securitySchemes! } };
    await mkdir(outputDir, { recursive: true });
    const file = join(outputDir, `kratos-spec-for-prism-${process.pid}.json`);
    await writeFile(file, JSON.stringify(rewritten));
    return file;
  })();
  return written;
}
