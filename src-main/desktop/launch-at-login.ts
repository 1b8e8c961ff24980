import type { ServiceManager, ServiceSpec } from '../service/index.ts';
import type { LaunchAtLoginControl } from './ipc.ts';

/**
 * "Launch at login" through the same login service as `reins service`: on means the desktop role's unit,
 * launchd agent or logon task is installed (to start at the next login, not now: the app is running),
 * off means it is removed with every file it wrote.
 */
export function serviceLaunchAtLogin(manager: ServiceManager, spec: ServiceSpec): LaunchAtLoginControl {
  return {
    get: async () => (await manager.status('desktop')).installed,
    set: async (enabled) => {
      if (enabled) await manager.install(spec);
      else await manager.uninstall('desktop');
    },
  };
}
