export { createAuditLog, verifyAuditChain, hashAuditRecord, GENESIS_HASH } from './audit-log.ts';
export type { AuditLog, AuditInput, AuditVerification } from './audit-log.ts';
