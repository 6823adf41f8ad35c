import { InputError } from '@backstage/errors';
import {
  DEFAULT_BUDGET_THRESHOLDS,
  normalizeBudgetAmount,
  validateBudgetInput,
} from '@ownops/backstage-plugin-common';
import { JsonObject } from '@backstage/types';
import { z } from 'zod';

/** A budget as stored: canonical amount, thresholds sorted ascending. */
export interface ValidBudgetInput {
  amount: string;
  currency: string;
  thresholds: number[];
}

/**
 * The shape of a budget body: only these fields. The values are checked by
 * `validateBudgetInput` from -common, the same check the form and the
 * template actions run, so every caller gets the same messages.
 */
const budgetBody = z.strictObject({
  amount: z.unknown(),
  currency: z.unknown(),
  thresholds: z.unknown(),
});

const AMOUNT_NOT_A_STRING =
  'amount must be a string such as "1500.00", not a JSON number';

/**
 * Validates a budget body, reporting every problem at once, each naming its
 * field. The amount must be a JSON string: a JSON number has already been
 * through floating point by the time it is parsed.
 */
export function parseBudgetInput(body: unknown): ValidBudgetInput {
  const problems: string[] = [];
  const shape = budgetBody.safeParse(body);
  for (const issue of shape.success ? [] : shape.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      problems.push(`unknown field(s) ${issue.keys.join(', ')}`);
    } else if (issue.path.length === 0) {
      problems.push(
        'the body must be a JSON object { amount, currency, thresholds? }',
      );
    }
  }
  const input: Record<string, unknown> =
    body && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const amountIsNumber = typeof input.amount === 'number';
  problems.unshift(
    ...(amountIsNumber ? [AMOUNT_NOT_A_STRING] : []),
    ...validateBudgetInput(input).filter(
      problem => !(amountIsNumber && problem.startsWith('amount')),
    ),
  );
  if (problems.length > 0) {
    throw new InputError(`Invalid budget: ${problems.join('; ')}`);
  }
  const thresholds = (input.thresholds as number[] | undefined) ?? [
    ...DEFAULT_BUDGET_THRESHOLDS,
  ];
  return {
    amount: normalizeBudgetAmount(input.amount)!,
    currency: input.currency as string,
    thresholds: [...thresholds].sort((a, b) => a - b),
  };
}

/**
 * What the audit event records of a budget request: the entity and the
 * budget's own fields, bounded, whatever else the body held.
 */
export function budgetAuditMeta(entityRef: string, body: unknown): JsonObject {
  const input =
    body && typeof body === 'object' && !Array.isArray(body)
      ? (body as Record<string, unknown>)
      : {};
  const scalar = (value: unknown): string | number | null => {
    if (typeof value === 'string') {
      return value.slice(0, 64);
    }
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };
  return {
    entityRef,
    amount: scalar(input.amount),
    currency: scalar(input.currency),
    thresholds: Array.isArray(input.thresholds)
      ? input.thresholds.slice(0, 20).map(scalar)
      : null,
  };
}
