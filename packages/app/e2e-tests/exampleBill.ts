/**
 * The day the browser tests' example bill is made on, and that the portal
 * reads cost as of (`ownops.cost.asOf`): fixed, so every figure the tests
 * see is the same on any day they run. Its month is the bill's "this month"
 * (examples/cost/generate.mjs): checkout-service's launch took it over 80 %
 * of its budget on the 13th and over 100 % on the 16th, and the bill holds
 * the three whole months before it and this month up to the day before.
 */
export const E2E_COST_AS_OF = '2026-10-21';

/** The bill's first day: the 1st of the third month before. */
export const E2E_BILL_FROM = '2026-07-01';

/** The month the portal reads as "this month". */
export const E2E_THIS_MONTH = E2E_COST_AS_OF.slice(0, 7);
