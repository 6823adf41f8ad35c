import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { OnCallPerson } from '@ownops/backstage-plugin-node';
import { TtlCache } from './TtlCache';

/** A person as the on-call provider names them. */
export interface ProviderPerson {
  name: string;
  email?: string;
}

/**
 * Finds the catalog users behind provider people by email
 * (`spec.profile.email`, compared without case), with the plugin's own
 * credentials. Answers are kept for `ttlMs` (misses too); a person without a
 * match, or any person while the catalog fails, keeps the provider's name
 * and email.
 */
export class CatalogPeople {
  private readonly cache: TtlCache<OnCallPerson | null>;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      logger?: LoggerService;
      ttlMs?: number;
    },
  ) {
    this.cache = new TtlCache(options.ttlMs ?? 5 * 60_000);
  }

  async resolve(people: ProviderPerson[]): Promise<OnCallPerson[]> {
    const emails = [
      ...new Set(
        people
          .map(p => p.email?.trim().toLocaleLowerCase('en-US'))
          .filter((e): e is string => !!e && this.cache.get(e) === undefined),
      ),
    ];
    if (emails.length > 0) {
      // Who is on call matters more than their catalog profile.
      await this.lookUp(emails).catch(error =>
        this.options.logger?.warn(
          `Could not look up on-call people in the catalog: ${error}`,
        ),
      );
    }
    return people.map(person => {
      const email = person.email?.trim().toLocaleLowerCase('en-US');
      const user = email ? this.cache.get(email) : undefined;
      if (user) return user;
      return {
        name: person.name,
        ...(person.email ? { email: person.email } : {}),
      };
    });
  }

  private async lookUp(emails: string[]): Promise<void> {
    const { catalog, auth } = this.options;
    const { items } = await catalog.getEntities(
      {
        filter: { kind: 'user', 'spec.profile.email': emails },
        fields: ['kind', 'metadata', 'spec.profile'],
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const found = new Map<string, OnCallPerson>();
    for (const user of items) {
      const person = personOf(user);
      if (person.email) {
        found.set(person.email.toLocaleLowerCase('en-US'), person);
      }
    }
    for (const email of emails) {
      this.cache.set(email, found.get(email) ?? null);
    }
  }
}

function personOf(user: Entity): OnCallPerson {
  const profile = (
    user.spec as { profile?: { displayName?: unknown; email?: unknown } }
  )?.profile;
  const name =
    typeof profile?.displayName === 'string' && profile.displayName
      ? profile.displayName
      : user.metadata.title ?? user.metadata.name;
  return {
    userEntityRef: stringifyEntityRef(user).toLocaleLowerCase('en-US'),
    name,
    ...(typeof profile?.email === 'string' && profile.email
      ? { email: profile.email }
      : {}),
  };
}
