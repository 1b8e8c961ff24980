export { createAuditLog } from './audit-log.ts';
export type { AuditLog, AuditInput } from './audit-log.ts';
export { GENESIS_HASH, legacyHash, macAuditRecord } from './audit-mac.ts';
export { auditSecretNames, loadAuditSeal, memoryAuditSeal, readAuditSeal } from './audit-seal.ts';
export type { AuditHead, AuditSeal, StoredAuditSeal } from './audit-seal.ts';
export { verifyAuditLog, verifyLegacyChain } from './verify-audit.ts';
export type { AuditDamage, AuditVerification, SealForVerify } from './verify-audit.ts';
