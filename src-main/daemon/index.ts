/** The plain-Node host of the core (`reins daemon`), also used in-process by the desktop app. */
export { startDaemon, PortInUseError, type DaemonOptions } from './start-daemon.ts';
export { REINS_VERSION } from './version.ts';
