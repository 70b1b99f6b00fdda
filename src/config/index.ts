/** Loading idm's YAML config into the Desired model. */
export { loadConfig } from './load.js';
export { parseConfig, type LoadedConfig } from './parse-config.js';
export { ConfigCode } from './codes.js';
export { expandString, type Env } from './variables.js';
export { MAX_EXPANDED_NODES } from './aliases.js';
