/** `idm export`: the live tenant as idm config, and as the Desired model for comparing tenants. */
export { collections, parseCollections, type Collection } from './collections.js';
export { exportScope } from './scope.js';
export { exportConfig, exportTenant, type ExportOptions, type Exported, type FoundFlag, type SkippedUser } from './to-config.js';
export { exportNotes, danglingReferences } from './notes.js';
export { renderExport, type ExportHeader } from './render.js';
export { desiredFromLive, type DesiredFromLiveOptions } from './desired.js';
