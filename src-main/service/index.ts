export { execRunner, type CommandResult } from './command-runner.ts';
export { createServiceManager, ServiceError, type ServiceHost, type ServiceManager, type ServiceStatus } from './service-manager.ts';
export { daemonServiceSpec, desktopServiceSpec, serviceNames, type ServiceSpec } from './service-spec.ts';
export { systemdUnit } from './systemd-unit.ts';
export { launchdPlist } from './launchd-plist.ts';
export { taskXml } from './task-xml.ts';
export { currentServiceHost } from './service-host.ts';
