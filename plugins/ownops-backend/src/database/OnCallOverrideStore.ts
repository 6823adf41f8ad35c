import { OnCallOverride } from '@ownops/backstage-plugin-common';

/** A new override, times as epoch milliseconds. */
export interface NewOnCallOverride {
  groupRef: string;
  userRef: string;
  start: Date;
  end: Date;
  createdBy: string;
  reason?: string;
}

/** Stored on-call overrides. Group and user refs are kept lower-cased. */
export interface OnCallOverrideStore {
  /**
   * Creates an override. Throws an `InputError` when the span is empty or
   * longer than the maximum, and a `ConflictError` naming the existing
   * override when it overlaps one of the same group.
   */
  create(override: NewOnCallOverride, now: Date): Promise<OnCallOverride>;
  /** The group's overrides that overlap `[from, to)`, earliest first. */
  list(groupRef: string, from: Date, to: Date): Promise<OnCallOverride[]>;
  get(id: number): Promise<OnCallOverride | undefined>;
  /** Deletes an override of the group; false when there was none. */
  delete(groupRef: string, id: number): Promise<boolean>;
}
