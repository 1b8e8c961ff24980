export { createPasscodeService } from './passcode-service.ts';
export { PASSCODE_LOCK_MS } from './passcode-lock.ts';
