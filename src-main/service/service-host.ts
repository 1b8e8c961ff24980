import { homedir, tmpdir, userInfo } from 'node:os';
import { execRunner } from './command-runner.ts';
import type { ServiceHost } from './service-manager.ts';

/** This machine's service host: its OS, the current user, commands run for real. */
export function currentServiceHost(env: NodeJS.ProcessEnv): ServiceHost {
  const user = userInfo();
  return {
    platform: process.platform,
    userHome: env.HOME || homedir(),
    ...(env.XDG_CONFIG_HOME ? { xdgConfigHome: env.XDG_CONFIG_HOME } : {}),
    uid: user.uid,
    windowsUser: env.USERDOMAIN ? `${env.USERDOMAIN}\\${user.username}` : user.username,
    tempDir: tmpdir(),
    run: execRunner,
  };
}
