import {
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  COST_GROUP_BY,
  DEPLOYMENT_STATUSES,
  describeInvalidVersion,
  ENVIRONMENT_NAME_PATTERN,
  MAX_REASON_LENGTH,
} from '@ownops/backstage-plugin-common';
import { z } from 'zod';

const environment = z
  .string({ error: 'environment is required' })
  .regex(ENVIRONMENT_NAME_PATTERN, {
    error: 'environment must be a lower-case name such as "staging"',
  });

const version = z
  .string({ error: 'version is required' })
  .superRefine((value, ctx) => {
    const problem = describeInvalidVersion(value);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: problem });
    }
  });

const reason = z
  .string()
  .max(MAX_REASON_LENGTH, {
    error: `reason must be at most ${MAX_REASON_LENGTH} characters`,
  })
  .optional();

export const createDeploymentBody = z.strictObject({
  environment,
  version,
  reason,
});

export const rollbackBody = z.strictObject({ reason });

export const emptyBody = z.strictObject({});

export const listDeploymentsQuery = z.strictObject({
  environment: environment.optional(),
  status: z.enum(DEPLOYMENT_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, {
      error: 'cursor must be a value returned as nextCursor',
    })
    .transform(Number)
    .optional(),
});

export const statsQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(365).default(30),
});

export const logsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
});

export const deploymentId = z.coerce
  .number({ error: 'deployment id must be a number' })
  .int()
  .positive();

export const idempotencyKey = z
  .string()
  .min(1)
  .max(255, { error: 'Idempotency-Key must be at most 255 characters' })
  .regex(/^[\x21-\x7e]+$/, {
    error: 'Idempotency-Key must be printable ASCII without spaces',
  })
  .optional();

/** Parses with zod and turns the first problems into an InputError naming the fields. */
export function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = result.error.issues
      .slice(0, 5)
      .map(issue => {
        const field = issue.path.join('.');
        if (issue.code === 'unrecognized_keys') {
          return `unknown field(s) ${issue.keys.join(', ')}`;
        }
        return field && !issue.message.startsWith(field)
          ? `${field}: ${issue.message}`
          : issue.message;
      })
      .join('; ');
    throw new InputError(`Invalid ${what}: ${details}`);
  }
  return result.data;
}

const isoDay = (field: string) =>
  z.string().regex(/^\d{4}-\d{2}-\d{2}$/, {
    error: `${field} must be a day as YYYY-MM-DD`,
  });

export const entityCostQuery = z.strictObject({
  from: isoDay('from').optional(),
  to: isoDay('to').optional(),
  environment: environment.optional(),
});

export const costBreakdownQuery = z.strictObject({
  groupBy: z.enum(COST_GROUP_BY, {
    error: `groupBy must be one of ${COST_GROUP_BY.join(', ')}`,
  }),
  from: isoDay('from').optional(),
  to: isoDay('to').optional(),
  costCenter: z.string().min(1).max(255).optional(),
  owner: z
    .string()
    .max(255)
    .regex(/^group:[^/]+\/.+$/, {
      error: 'owner must be a group ref such as group:default/team-checkout',
    })
    .transform(ref => ref.toLocaleLowerCase('en-US'))
    .optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

export const unallocatedCostQuery = z.strictObject({
  from: isoDay('from').optional(),
  to: isoDay('to').optional(),
});

export const budgetsQuery = z.strictObject({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: 'month must be YYYY-MM' })
    .optional(),
});

const validators = makeValidator();

/** A caller's value inside a message: quoted, escaped, at most 64 characters. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}

/**
 * The entity ref of `kind`, `namespace` and `name` (from a URL path or an
 * action's input), or an InputError naming each part the catalog could never
 * hold: such a ref would otherwise fail inside the catalog client.
 */
export function entityRefOfParts(
  parts: { kind: string; namespace: string; name: string },
  what: string = 'entity reference',
): string {
  const { kind, namespace, name } = parts;
  const problems = [
    validators.isValidKind(kind)
      ? undefined
      : `kind ${quoted(kind)} must be an entity kind such as component`,
    validators.isValidNamespace(namespace.toLocaleLowerCase('en-US'))
      ? undefined
      : `namespace ${quoted(namespace)} must be a namespace such as default`,
    validators.isValidEntityName(name)
      ? undefined
      : `name ${quoted(
          name,
        )} must be an entity name (letters, digits, "-", "_" and ".", at most 63 characters)`,
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
  }
  return stringifyEntityRef(parts);
}

/** Parses an entity ref such as component:default/checkout, or an InputError naming `field`. */
export function parseEntityRefInput(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length > 255) {
    throw new InputError(
      `Invalid ${field}: must be an entity ref such as component:default/checkout`,
    );
  }
  let parts;
  try {
    parts = parseEntityRef(value);
  } catch {
    throw new InputError(
      `Invalid ${field}: ${quoted(
        value,
      )} is not an entity ref such as component:default/checkout`,
    );
  }
  return entityRefOfParts(parts, field);
}
