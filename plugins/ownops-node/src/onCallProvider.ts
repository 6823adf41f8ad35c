import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';

/**
 * Someone who can be on call. Providers fill in what they know; the
 * backend links `userEntityRef` to the catalog's user for contact details.
 *
 * @public
 */
export interface OnCallPerson {
  /** The catalog user, e.g. `user:default/alice`, when the provider can tell. */
  userEntityRef?: string;
  /** The name to show. */
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
 * Who is on call for an entity, as a provider reports it.
 *
 * @public
 */
export interface OnCallReport {
  /** Everyone on call now, the first escalation level first. */
  now: OnCallShift[];
  /** The next shift at the first escalation level, when known. */
  next?: OnCallShift;
  /** A link to the schedule in the provider's own UI. */
  url?: string;
}

/**
 * A source of on-call information, for example a rotation over a group's
 * members or PagerDuty.
 *
 * @public
 */
export interface OnCallProvider {
  /** Unique id of the provider. */
  id: string;
  /** Whether this provider knows the entity's on-call (e.g. it has the provider's annotation). */
  appliesTo(entity: Entity): boolean;
  /**
   * Who is on call at `at`, and the next shift. Implementations must honour
   * `signal` and time out on their own calls.
   */
  getOnCall(
    entity: Entity,
    options: { at: Date; signal?: AbortSignal },
  ): Promise<OnCallReport>;
}

/** @public */
export interface OwnopsOnCallProvidersExtensionPoint {
  addOnCallProvider(...providers: OnCallProvider[]): void;
}

/**
 * Lets backend modules add on-call providers to the Ownops backend.
 * Provider ids must be unique; the first provider that applies to an
 * entity answers for it.
 *
 * @public
 */
export const ownopsOnCallProvidersExtensionPoint =
  createExtensionPoint<OwnopsOnCallProvidersExtensionPoint>({
    id: 'ownops.oncall-providers',
  });
