/**
 * The core: everything Reins does, under plain Node. Hosts (daemon, desktop) call
 * {@link createCore}; adapters talk to the returned facade only.
 */
export { createCore, type Core, type CoreDeps } from './create-core.ts';
export type { Actor } from './approvals/grant-service.ts';
export { ReinsError, NotFoundError, InvalidRequestError, AlreadyDecidedError, ConflictError } from './errors.ts';
export { loadConfig, parseConfig, ConfigError, DEFAULT_PORT, type ReinsConfig } from './host/config.ts';
export { resolveHome, homePaths, type HomePaths } from './host/paths.ts';
export { CoreLockedError } from './host/lock.ts';
export { createLogger, createForegroundLogger, silentLogger, type Logger } from './log.ts';
export { systemClock, systemTimers, type Clock, type Timers } from './clock.ts';
export { openStore, DatabaseFromFutureError } from './store/index.ts';
export { verifyAuditLog } from './audit/index.ts';
