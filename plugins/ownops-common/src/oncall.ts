/**
 * Someone who can be on call, with contact details from the catalog where
 * the provider named a catalog user.
 *
 * @public
 */
export interface OnCallPerson {
  /** The catalog user, e.g. `user:default/alice`, when known. */
  userEntityRef?: string;
  name: string;
  email?: string;
}

/**
 * One person's turn on call at one escalation level.
 *
 * @public
 */
export interface OnCallShift {
  person: OnCallPerson;
  /** ISO 8601 UTC, inclusive. */
  start: string;
  /** ISO 8601 UTC, exclusive; absent for an open-ended shift. */
  end?: string;
  /** 1 for the first person paged; higher levels are escalations. */
  escalationLevel: number;
}

/**
 * Who is on call for an entity: `GET /entities/{kind}/{namespace}/{name}/oncall`.
 *
 * @public
 */
export interface EntityOnCall {
  entityRef: string;
  /** The provider that answered, or null when none applies to the entity. */
  provider: string | null;
  /** Everyone on call now, the first escalation level first. */
  now: OnCallShift[];
  /** The next shift at the first escalation level, when known. */
  next?: OnCallShift;
  /** The schedule in the provider's own UI. */
  url?: string;
  /** ISO 8601 UTC: when the current first-level shift hands off, when known. */
  handoffAt?: string;
}

/**
 * A stored on-call override: `userRef` is on call for `groupRef` from
 * `start` (inclusive) to `end` (exclusive), instead of the rotation.
 *
 * @public
 */
export interface OnCallOverride {
  id: number;
  groupRef: string;
  userRef: string;
  /** ISO 8601 UTC. */
  start: string;
  /** ISO 8601 UTC. */
  end: string;
  createdBy: string;
  reason?: string;
  /** ISO 8601 UTC. */
  createdAt: string;
}

/**
 * The longest span of a single on-call override.
 *
 * @public
 */
export const MAX_ONCALL_OVERRIDE_DAYS = 31;
