import { ANNOTATION_COST_CENTER } from './annotations';
import {
  COST_CENTER_PATTERN,
  DEFAULT_OWNER_TAG_KEYS,
  OwnerTagKeys,
  validateOwnerTagKeys,
} from './ownerTags';

/**
 * The owner tag policy an organisation configures: its tag keys and whether
 * a template form may override the owner group's cost center.
 *
 * @public
 */
export interface OwnerTagPolicy {
  keys: OwnerTagKeys;
  allowCostCenterOverride: boolean;
}

/** The part of a Backstage config (frontend or backend) the policy reads. @public */
export interface OwnerTagPolicyConfig {
  getOptionalConfig(key: string): OwnerTagPolicyConfig | undefined;
  getOptionalString(key: string): string | undefined;
  getOptionalBoolean(key: string): boolean | undefined;
}

/**
 * Reads `ownops.tags.keys.*` and `ownops.tags.allowCostCenterOverride`,
 * with the defaults, so the form, the template actions and cost attribution
 * apply the same policy.
 *
 * @public
 */
export function readOwnerTagPolicy(
  config: OwnerTagPolicyConfig,
): OwnerTagPolicy {
  const keys = config.getOptionalConfig('ownops.tags.keys');
  return {
    keys: {
      entity:
        keys?.getOptionalString('entity') ?? DEFAULT_OWNER_TAG_KEYS.entity,
      owner: keys?.getOptionalString('owner') ?? DEFAULT_OWNER_TAG_KEYS.owner,
      costCenter:
        keys?.getOptionalString('costCenter') ??
        DEFAULT_OWNER_TAG_KEYS.costCenter,
      environment:
        keys?.getOptionalString('environment') ??
        DEFAULT_OWNER_TAG_KEYS.environment,
    },
    allowCostCenterOverride:
      config.getOptionalBoolean('ownops.tags.allowCostCenterOverride') ?? false,
  };
}

/**
 * The configured owner tag keys (`ownops.tags.keys.*`, with the defaults),
 * checked with `validateOwnerTagKeys`; throws `Invalid ownops.tags.keys: …`
 * listing every problem, for backends that must not start with bad keys.
 *
 * @public
 */
export function readValidOwnerTagKeys(
  config: OwnerTagPolicyConfig,
): OwnerTagKeys {
  const { keys } = readOwnerTagPolicy(config);
  const problems = validateOwnerTagKeys(keys);
  if (problems.length > 0) {
    throw new Error(`Invalid ownops.tags.keys: ${problems.join('; ')}`);
  }
  return keys;
}

/**
 * The cost center a new service gets, or why none can be given.
 *
 * @public
 */
export type CostCenterDecision =
  | { costCenter: string; source: 'group' | 'form' }
  | {
      refused:
        | 'invalid-override'
        | 'override-not-allowed'
        | 'invalid-group'
        | 'missing';
      message: string;
    };

/**
 * The cost center rule: the owner group's `ownops.io/cost-center`, unless
 * the form gives another one and the policy allows overriding it.
 *
 * @public
 */
export function decideCostCenter(options: {
  groupRef: string;
  groupCostCenter?: string;
  override?: string;
  allowOverride: boolean;
}): CostCenterDecision {
  const { groupRef, allowOverride } = options;
  const override = options.override?.trim() || undefined;
  const groupCostCenter = options.groupCostCenter?.trim() || undefined;
  if (override && !COST_CENTER_PATTERN.test(override)) {
    return {
      refused: 'invalid-override',
      message: `"${override}" may only contain letters, digits and "-" (at most 63 characters)`,
    };
  }
  if (override && override !== groupCostCenter) {
    return allowOverride
      ? { costCenter: override, source: 'form' }
      : {
          refused: 'override-not-allowed',
          message: `"${override}" differs from ${groupRef}'s cost center ${
            groupCostCenter ? `"${groupCostCenter}"` : '(none)'
          }, and the tag policy (ownops.tags.allowCostCenterOverride) does not allow overriding it`,
        };
  }
  if (!groupCostCenter) {
    return {
      refused: 'missing',
      message: `${groupRef} has no ${ANNOTATION_COST_CENTER} annotation and the form gave none`,
    };
  }
  if (!COST_CENTER_PATTERN.test(groupCostCenter)) {
    return {
      refused: 'invalid-group',
      message: `${groupRef}'s ${ANNOTATION_COST_CENTER} "${groupCostCenter}" may only contain letters, digits and "-" (at most 63 characters)`,
    };
  }
  return { costCenter: groupCostCenter, source: 'group' };
}
