import { AuthService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityOnCall,
  OnCallPerson,
  OnCallShift,
} from '@ownops/backstage-plugin-common';
import {
  OnCallProvider,
  OnCallReport,
  personOfCatalogUser,
} from '@ownops/backstage-plugin-node';
import { NoRotationError } from './rotation/RotationOnCallProvider';
import { assertUniqueIds } from '../assertUniqueIds';

export interface OnCallServiceOptions {
  /** In order of precedence: module providers first, then the built-in rotation. */
  providers: OnCallProvider[];
  catalog: CatalogService;
  auth: AuthService;
  /** How long a provider may take, in milliseconds. */
  timeoutMs: number;
}

/**
 * Who is on call for an entity: the first provider whose `appliesTo` is
 * true answers, within the timeout; people named only by their catalog
 * user get that user's display name and email.
 */
export class OnCallService {
  private readonly providers: OnCallProvider[];

  constructor(private readonly options: OnCallServiceOptions) {
    this.providers = assertUniqueIds(options.providers, 'on-call providers');
  }

  /** The provider ids in order of precedence. */
  providerIds(): string[] {
    return this.providers.map(p => p.id);
  }

  /**
   * Who is on call for `entity` at `at`. The caller decides whether the
   * entity may be seen. Throws an `InputError` for an invalid on-call
   * annotation and a `ServiceUnavailableError` naming the provider when it
   * fails or does not answer within the timeout.
   */
  async forEntity(
    entity: Entity,
    at: Date = new Date(),
    signal?: AbortSignal,
  ): Promise<EntityOnCall> {
    const entityRef = stringifyEntityRef(entity);
    for (const provider of this.providers) {
      if (!safeAppliesTo(provider, entity)) continue;
      let report: OnCallReport;
      try {
        report = await this.ask(provider, entity, at, signal);
      } catch (error) {
        if (error instanceof NoRotationError) continue;
        throw error;
      }
      const [now, next] = await Promise.all([
        Promise.all(report.now.map(shift => this.withPerson(shift))),
        report.next ? this.withPerson(report.next) : undefined,
      ]);
      const first = now.find(s => s.escalationLevel === 1) ?? now[0];
      return {
        entityRef,
        provider: provider.id,
        now,
        ...(next ? { next } : {}),
        ...(report.url ? { url: report.url } : {}),
        ...(first?.end ? { handoffAt: first.end } : {}),
      };
    }
    return { entityRef, provider: null, now: [] };
  }

  private async ask(
    provider: OnCallProvider,
    entity: Entity,
    at: Date,
    signal?: AbortSignal,
  ): Promise<OnCallReport> {
    const { timeoutMs } = this.options;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    // Settles only by rejecting: at the timeout, or when the caller aborts.
    const stopped = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new ServiceUnavailableError(
          `On-call provider "${provider.id}" did not answer within ${timeoutMs} ms`,
        );
        controller.abort(error);
        reject(error);
      }, timeoutMs);
      onAbort = () => {
        controller.abort(signal?.reason);
        reject(signal?.reason);
      };
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([
        provider.getOnCall(entity, { at, signal: controller.signal }),
        stopped,
      ]).then(report => {
        if (!report || !Array.isArray(report.now)) {
          throw new ServiceUnavailableError(
            `On-call provider "${provider.id}" answered without a "now" list`,
          );
        }
        return report;
      });
    } catch (error) {
      if (
        error instanceof NoRotationError ||
        error instanceof InputError ||
        error instanceof ServiceUnavailableError ||
        (signal?.aborted && error === signal.reason)
      ) {
        throw error;
      }
      throw new ServiceUnavailableError(
        `On-call provider "${provider.id}" failed: ${
          (error as Error)?.message ?? String(error)
        }`,
      );
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }

  private async withPerson(shift: OnCallShift): Promise<OnCallShift> {
    const person: OnCallPerson = { ...shift.person };
    if (
      person.userEntityRef &&
      (!person.email || !person.name || person.name === person.userEntityRef)
    ) {
      const user = await this.options.catalog
        .getEntityByRef(person.userEntityRef, {
          credentials: await this.options.auth.getOwnServiceCredentials(),
        })
        .catch(() => undefined);
      if (user) {
        const known = personOfCatalogUser(user);
        if (!person.name || person.name === person.userEntityRef) {
          person.name = known.name;
        }
        person.email = person.email ?? known.email;
      }
    }
    return {
      person: {
        ...(person.userEntityRef
          ? { userEntityRef: person.userEntityRef }
          : {}),
        name: person.name || person.userEntityRef || 'unknown',
        ...(person.email ? { email: person.email } : {}),
      },
      start: shift.start,
      ...(shift.end ? { end: shift.end } : {}),
      escalationLevel: shift.escalationLevel,
    };
  }
}

function safeAppliesTo(provider: OnCallProvider, entity: Entity): boolean {
  try {
    return provider.appliesTo(entity);
  } catch {
    return false;
  }
}
