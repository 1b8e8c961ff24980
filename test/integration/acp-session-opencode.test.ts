/** The ACP scenarios (acp-scenarios.ts) against the real pinned opencode. */
import { ACP_CASES, acpScenarios } from './acp-scenarios.ts';

acpScenarios(ACP_CASES.opencode);
