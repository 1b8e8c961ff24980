export { createAuditLog } from './audit-log.ts';
export type { AuditLog } from './audit-log.ts';
export { legacyHash } from './audit-mac.ts';
export { auditSecretNames, loadAuditSeal, memoryAuditSeal, readAuditSeal } from './audit-seal.ts';
export type { AuditSeal } from './audit-seal.ts';
export { verifyAuditLog } from './verify-audit.ts';
