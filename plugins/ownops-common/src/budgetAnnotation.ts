import {
  BudgetInput,
  DEFAULT_BUDGET_THRESHOLDS,
  validateBudgetInput,
} from './budgets';

/**
 * Reads the `ownops.io/budget` annotation: `"<amount> <CURRENCY>"`, with
 * optional alert thresholds as whole percentages after a `|`, for example
 * `"1500.00 USD"` or `"1500 EUR | 50,90,100"`.
 *
 * Returns the budget, or the problems (each naming the annotation) when the
 * value does not follow that format.
 *
 * @public
 */
export function parseBudgetAnnotation(
  value: string,
): { budget: Required<BudgetInput> } | { problems: string[] } {
  const [amountAndCurrency, thresholdText, ...rest] = value.split('|');
  const parts = amountAndCurrency.trim().split(/\s+/);
  if (parts.length !== 2 || rest.length > 0) {
    return {
      problems: [
        `ownops.io/budget must be "<amount> <CURRENCY>" with optional "| <thresholds>", e.g. "1500.00 USD | 50,80,100", got "${value}"`,
      ],
    };
  }
  const thresholds =
    thresholdText === undefined
      ? [...DEFAULT_BUDGET_THRESHOLDS]
      : thresholdText
          .split(',')
          .map(t => t.trim())
          .map(t => (/^\d+$/.test(t) ? Number(t) : t));
  const input = { amount: parts[0], currency: parts[1], thresholds };
  const problems = validateBudgetInput(input);
  if (problems.length > 0) {
    return { problems: problems.map(p => `ownops.io/budget: ${p}`) };
  }
  return {
    budget: {
      amount: parts[0],
      currency: parts[1],
      thresholds: (thresholds as number[]).slice().sort((a, b) => a - b),
    },
  };
}
