export {
  attributeCostRecord,
  decodeTagEntityRef,
  findTagValue,
} from './attributeCostRecord';
export type { Attribution, UnallocatedReason } from './attributeCostRecord';
export { compareDecimalStrings } from './compareDecimalStrings';
export {
  addToRollups,
  chargeDay,
  rollupKey,
  rollupKeyString,
  utcDayOf,
} from './rollups';
export type { DailyRollup, RollupKey } from './rollups';
export { UnallocatedTracker } from './UnallocatedTracker';
export type { UnallocatedResource } from './UnallocatedTracker';
