import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { OnCallShift } from '@ownops/backstage-plugin-common';

export type {
  OnCallPerson,
  OnCallShift,
} from '@ownops/backstage-plugin-common';

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
