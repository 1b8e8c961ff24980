/**
 * Findings and how they fold into a contract {@link Risk}: the highest level wins, tags and
 * reasons are unions. Nothing here ever lowers a risk.
 */
import { RISK_LEVELS, RISK_TAGS } from '../../contract/domain.ts';
import type { Risk, RiskLevel, RiskTag } from '../../contract/domain.ts';

/** One reason a call is risky. `tag` is null for findings no tag describes ("cannot be analysed"). */
export interface Finding {
  tag: RiskTag | null;
  level: RiskLevel;
  reason: string;
}

/** Level each tag implies unless a rule says otherwise. */
const DEFAULT_LEVEL: Readonly<Record<RiskTag, RiskLevel>> = {
  writes: 'medium',
  'unknown-tool': 'medium',
  destructive: 'high',
  network: 'high',
  'outside-project': 'high',
  secrets: 'high',
  privilege: 'critical',
  reins: 'critical',
};

/** Builds a finding at the tag's default level. */
export function finding(tag: RiskTag, reason: string, level: RiskLevel = DEFAULT_LEVEL[tag]): Finding {
  return { tag, level, reason };
}

/** Higher of two levels. */
function maxLevel(a: RiskLevel, b: RiskLevel): RiskLevel {
  return RISK_LEVELS.indexOf(a) >= RISK_LEVELS.indexOf(b) ? a : b;
}

function sortTags(tags: Iterable<RiskTag>): RiskTag[] {
  const set = new Set(tags);
  return RISK_TAGS.filter((tag) => set.has(tag));
}

/** Folds findings into a Risk; no findings means `low` with no tags and no reasons. */
export function toRisk(findings: readonly Finding[]): Risk {
  let level: RiskLevel = 'low';
  const tags: RiskTag[] = [];
  const reasons: string[] = [];
  for (const f of findings) {
    level = maxLevel(level, f.level);
    if (f.tag !== null) tags.push(f.tag);
    if (!reasons.includes(f.reason)) reasons.push(f.reason);
  }
  return { level, tags: sortTags(tags), reasons };
}

/**
 * Combines two assessments of the same call: the higher level, the union of tags and reasons.
 * Use it whenever a second opinion arrives (e.g. Reins' classifier on top of an agent's own
 * hint): the result is never lower than `base`.
 */
export function raiseRisk(base: Risk, extra: Risk): Risk {
  const reasons = [...base.reasons];
  for (const reason of extra.reasons) if (!reasons.includes(reason)) reasons.push(reason);
  return {
    level: maxLevel(base.level, extra.level),
    tags: sortTags([...base.tags, ...extra.tags]),
    reasons,
  };
}
