/**
 * The core: everything Reins does, under plain Node. Hosts (daemon, desktop) call
 * {@link createCore}; adapters talk to the returned facade only.
 */
export { createCore, type Core, type CoreDeps } from './create-core.ts';
export { NotFoundError, ConflictError } from './errors.ts';
export { parseConfig, ConfigError, type ReinsConfig } from './host/config.ts';
export { resolveHome, homePaths } from './host/paths.ts';
export { CoreLockedError } from './host/lock.ts';
export { createLogger, createForegroundLogger, silentLogger, type Logger } from './log.ts';
export type { Timers } from './clock.ts';
export { DatabaseFromFutureError } from './store/index.ts';
