/**
 * A live tenant as the Desired model, for comparing two tenants (`idm diff --from A --to B` plans A's export against
 * B). It goes through the exported YAML and the config loader, so there is one mapping from config to model and an
 * export means exactly what the same file would mean to `idm plan`.
 */
import type { Desired } from '../model/desired.js';
import type { Live } from '../model/live.js';
import { parseConfig } from '../config/parse-config.js';
import { renderExport } from './render.js';
import { exportConfig, type ExportOptions } from './to-config.js';

export interface DesiredFromLiveOptions extends ExportOptions {
  /** Names the tenant in errors, should it hold something the config cannot express. Default "export". */
  readonly label?: string;
}

export function desiredFromLive(live: Live, options: DesiredFromLiveOptions = {}): Desired {
  // No environment: the export escapes every ${...}, so nothing in it reads one.
  return parseConfig(renderExport(exportConfig(live, options)), options.label ?? 'export', {}).desired;
}
