import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory holding idm's package.json. Code runs both from src/ (tests) and dist/src/ (the CLI), at different
 * depths, so files shipped beside the code (schemas/) are found by walking up rather than by a fixed relative path.
 */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string {
  let dir = dirname(from);
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const schemaPath = (name: 'idm.schema.json' | 'plan.schema.json'): string => join(packageRoot(), 'schemas', name);
