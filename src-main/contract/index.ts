/** Contract shared by every process: domain types, events, API shapes. No IO. */
export * from './action.ts';
export * from './action-words.ts';
export * from './domain.ts';
export * from './events.ts';
export * from './api.ts';
export * from './core-facade.ts';
export * from './desktop.ts';
export * from './grant-words.ts';
export * from './telegram.ts';
export * from './schedules.ts';
export * from './budget-words.ts';
export * from './provider-errors.ts';
export * from './passcode.ts';
