import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  CatalogPeople,
  OnCallProvider,
  OnCallReport,
  OnCallShift,
  TtlCache,
} from '@ownops/backstage-plugin-node';
import {
  PagerDutyApi,
  PagerDutyOnCall,
  PagerDutyService,
} from './PagerDutyApi';

/**
 * The PagerDuty service whose escalation policy is on call for the entity.
 *
 * @public
 */
export const ANNOTATION_PAGERDUTY_SERVICE_ID = 'pagerduty.com/service-id';

const SERVICE_CACHE_MS = 5 * 60_000;

/**
 * Who is on call for an entity with `pagerduty.com/service-id`: the
 * on-calls of the service's escalation policy, every level, and the next
 * first-level shift.
 */
export class PagerDutyOnCallProvider implements OnCallProvider {
  readonly id = 'pagerduty';
  private readonly services = new TtlCache<PagerDutyService>(SERVICE_CACHE_MS);

  constructor(
    private readonly options: { api: PagerDutyApi; people: CatalogPeople },
  ) {}

  appliesTo(entity: Entity): boolean {
    return !!serviceIdOf(entity);
  }

  async getOnCall(
    entity: Entity,
    { at, signal }: { at: Date; signal?: AbortSignal },
  ): Promise<OnCallReport> {
    const serviceId = serviceIdOf(entity);
    if (!serviceId) {
      throw new InputError(
        `${stringifyEntityRef(
          entity,
        )} has no ${ANNOTATION_PAGERDUTY_SERVICE_ID} annotation; add the id of its PagerDuty service (the P… id in the service's URL)`,
      );
    }
    const service = await this.service(serviceId, signal);
    const policyId = service.escalation_policy.id;
    const current = sortByLevel(
      await this.options.api.listOnCalls(
        policyId,
        at,
        plusOneSecond(at),
        signal,
      ),
    );
    const first = current.find(o => o.escalation_level === 1);
    let next: PagerDutyOnCall | undefined;
    if (first?.end) {
      const handoff = new Date(first.end);
      next = sortByLevel(
        await this.options.api.listOnCalls(
          policyId,
          handoff,
          plusOneSecond(handoff),
          signal,
        ),
      ).find(
        o =>
          o.escalation_level === 1 &&
          o.start !== null &&
          Date.parse(o.start) >= handoff.getTime(),
      );
    }
    const shifts = await this.shifts(next ? [...current, next] : current, at);
    return {
      now: shifts.slice(0, current.length),
      ...(next ? { next: shifts[current.length] } : {}),
      ...(service.html_url ? { url: service.html_url } : {}),
    };
  }

  private async service(
    serviceId: string,
    signal?: AbortSignal,
  ): Promise<PagerDutyService> {
    const cached = this.services.get(serviceId);
    if (cached) return cached;
    const service = await this.options.api.getService(serviceId, signal);
    this.services.set(serviceId, service);
    return service;
  }

  private async shifts(
    oncalls: PagerDutyOnCall[],
    at: Date,
  ): Promise<OnCallShift[]> {
    const people = await this.options.people.resolve(
      oncalls.map(o => ({
        name: o.user.name ?? o.user.summary ?? o.user.id,
        email: o.user.email,
      })),
    );
    return oncalls.map((o, i) => ({
      person: people[i],
      // A user named directly in the escalation policy has no start or end.
      start: new Date(o.start ?? at).toISOString(),
      ...(o.end ? { end: new Date(o.end).toISOString() } : {}),
      escalationLevel: o.escalation_level,
    }));
  }
}

function serviceIdOf(entity: Entity): string | undefined {
  return (
    entity.metadata.annotations?.[ANNOTATION_PAGERDUTY_SERVICE_ID]?.trim() ||
    undefined
  );
}

function plusOneSecond(date: Date): Date {
  return new Date(date.getTime() + 1000);
}

/**
 * By escalation level, the soonest hand-off first within a level (so the
 * first shift's end is the next hand-off), then by name.
 */
function sortByLevel(oncalls: PagerDutyOnCall[]): PagerDutyOnCall[] {
  const endOf = (o: PagerDutyOnCall) =>
    o.end ? Date.parse(o.end) : Number.POSITIVE_INFINITY;
  return [...oncalls].sort(
    (a, b) =>
      a.escalation_level - b.escalation_level ||
      endOf(a) - endOf(b) ||
      (a.user.summary ?? '').localeCompare(b.user.summary ?? ''),
  );
}
