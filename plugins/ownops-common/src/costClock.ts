import { IsoDay } from './cost';

/** Config key of the day cost is read as of, for demos and tests. @public */
export const COST_AS_OF_CONFIG_KEY = 'ownops.cost.asOf';

/** The part of a Backstage config (frontend or backend) the cost clock reads. @public */
export interface CostClockConfig {
  getOptionalString(key: string): string | undefined;
}

/**
 * The clock cost is read by: month to date, forecasts, budget states and
 * alerts, the summaries' cost and the frontend's range presets. With
 * `ownops.cost.asOf: YYYY-MM-DD` it always answers noon (UTC) of that day,
 * so a fixed example bill reads the same on any day; otherwise the real time.
 * Deploys, on call and audit always use the real time.
 *
 * Throws an error naming the key when it is not a valid day.
 *
 * @public
 */
export function readCostClock(config: CostClockConfig): () => Date {
  const asOf = readCostAsOf(config);
  if (asOf === undefined) {
    return () => new Date();
  }
  const fixed = Date.parse(`${asOf}T12:00:00Z`);
  return () => new Date(fixed);
}

/** `ownops.cost.asOf`, checked, or undefined when unset. @public */
export function readCostAsOf(config: CostClockConfig): IsoDay | undefined {
  const value = config.getOptionalString(COST_AS_OF_CONFIG_KEY);
  if (value === undefined) {
    return undefined;
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const time = match ? Date.UTC(+match[1], +match[2] - 1, +match[3]) : NaN;
  if (
    !match ||
    Number.isNaN(time) ||
    new Date(time).toISOString().slice(0, 10) !== value
  ) {
    throw new Error(
      `${COST_AS_OF_CONFIG_KEY} must be a day as YYYY-MM-DD, e.g. "2026-11-20", got "${value}"; remove it to read cost as of today`,
    );
  }
  return value;
}
