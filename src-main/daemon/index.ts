/** The plain-Node host of the core (`reins daemon`), also used in-process by the desktop app. */
export { startDaemon, PortInUseError } from './start-daemon.ts';
