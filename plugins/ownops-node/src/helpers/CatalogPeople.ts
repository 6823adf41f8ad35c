import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { OnCallPerson } from '@ownops/backstage-plugin-common';
import { TtlCache } from './TtlCache';

/**
 * A person as an on-call provider names them.
 *
 * @public
 */
export interface ProviderPerson {
  name: string;
  email?: string;
}

/**
 * The person a catalog user is: lower-case entity ref, `spec.profile.displayName`
 * (else `metadata.title`, else `metadata.name`) and `spec.profile.email`.
 *
 * @public
 */
export function personOfCatalogUser(user: Entity): {
  userEntityRef: string;
  name: string;
  email?: string;
} {
  const profile = (
    user.spec as
      | { profile?: { displayName?: unknown; email?: unknown } }
      | undefined
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

/**
 * Finds the catalog users behind provider people by email
 * (`spec.profile.email`, compared without case), with the plugin's own
 * credentials. Answers are kept for `ttlMs` (misses too; default 5 minutes);
 * a person without a match, or any person while the catalog fails, keeps the
 * provider's name and email.
 *
 * @public
 */
export class CatalogPeople {
  private readonly cache: TtlCache<OnCallPerson | null>;

  constructor(
    private readonly options: {
      catalog: Pick<CatalogService, 'getEntities'>;
      auth: AuthService;
      logger?: LoggerService;
      ttlMs?: number;
      now?: () => number;
    },
  ) {
    this.cache = new TtlCache(options.ttlMs ?? 5 * 60_000, options.now);
  }

  async resolve(people: ProviderPerson[]): Promise<OnCallPerson[]> {
    const emails = [
      ...new Set(
        people
          .map(p => normalizedEmail(p.email))
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
      const email = normalizedEmail(person.email);
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
      const person = personOfCatalogUser(user);
      if (person.email) {
        found.set(person.email.toLocaleLowerCase('en-US'), person);
      }
    }
    for (const email of emails) {
      this.cache.set(email, found.get(email) ?? null);
    }
  }
}

function normalizedEmail(email: string | undefined): string | undefined {
  return email?.trim().toLocaleLowerCase('en-US');
}
