/** Loading idm's YAML config into the Desired model. */
export { loadConfig, type LoadOptions } from './load.js';
export { parseConfig, type LoadedConfig } from './parse-config.js';
export type { UsersOptions } from './users-section.js';
export { convertUsers, detectUsersFormat, usersFileFormats, type ConvertOptions, type ConvertResult } from './import/convert.js';
export { usersToNdjson, usersToYaml } from './import/serialise.js';
export type { UsersFileFormat } from './schema.js';
export { ConfigCode } from './codes.js';
export { expandString, type Env } from './variables.js';
export { MAX_EXPANDED_NODES } from './aliases.js';
