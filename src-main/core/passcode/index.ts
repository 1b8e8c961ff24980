export { createPasscodeService, type PasscodeContext, type PasscodeService } from './passcode-service.ts';
export { PASSCODE_LOCK_MS, PASSCODE_MAX_TRIES } from './passcode-lock.ts';
