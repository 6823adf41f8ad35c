import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import {
  MAX_ONCALL_OVERRIDE_DAYS,
  OnCallOverride,
} from '@ownops/backstage-plugin-common';
import { Knex } from 'knex';
import { isUniqueViolation } from './databaseErrors';
import { NewOnCallOverride, OnCallOverrideStore } from './OnCallOverrideStore';

const OVERRIDES = 'ownops_oncall_overrides';
const LOCKS = 'ownops_oncall_override_locks';
const MAX_SPAN_MS = MAX_ONCALL_OVERRIDE_DAYS * 86_400_000;

const migrationsDir = resolvePackagePath(
  '@ownops/backstage-plugin-backend',
  'migrations',
);

type OverrideRow = {
  id: number | string;
  group_ref: string;
  user_ref: string;
  start_at: number | string;
  end_at: number | string;
  created_by: string;
  reason: string | null;
  created_at: number | string;
};

/**
 * Knex-backed {@link OnCallOverrideStore} for SQLite and PostgreSQL.
 *
 * Creates for one group are serialised on the group's row in
 * `ownops_oncall_override_locks`: inside one transaction the row is created
 * if missing and then updated, which holds its row lock on PostgreSQL until
 * commit (SQLite allows one writer at a time anyway). Only then are
 * overlaps looked for — under READ COMMITTED each statement sees what the
 * previous holder committed — and the override inserted. So of concurrent
 * overlapping creates exactly one wins and the others get a 409.
 */
export class DatabaseOnCallOverrideStore implements OnCallOverrideStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseOnCallOverrideStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseOnCallOverrideStore(client);
  }

  /** For tests: migrates the client and returns a store over it. */
  static async createForTest(
    client: Knex,
  ): Promise<DatabaseOnCallOverrideStore> {
    await client.migrate.latest({ directory: migrationsDir });
    return new DatabaseOnCallOverrideStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async create(
    override: NewOnCallOverride,
    now: Date,
  ): Promise<OnCallOverride> {
    const start = override.start.getTime();
    const end = override.end.getTime();
    if (!Number.isFinite(start) || !Number.isFinite(end) || start >= end) {
      throw new InputError('end must be after start');
    }
    if (end - start > MAX_SPAN_MS) {
      throw new InputError(
        `An override may span at most ${MAX_ONCALL_OVERRIDE_DAYS} days`,
      );
    }
    const groupRef = override.groupRef.toLocaleLowerCase('en-US');
    return this.db.transaction(async tx => {
      await this.lockGroup(tx, groupRef);
      const existing = await tx<OverrideRow>(OVERRIDES)
        .where('group_ref', groupRef)
        .andWhere('start_at', '<', end)
        .andWhere('end_at', '>', start)
        .orderBy('start_at')
        .first();
      if (existing) {
        const other = toOverride(existing);
        throw new ConflictError(
          `Override ${other.id} (${other.userRef}, ${other.start} to ${other.end}) already covers part of this time for ${groupRef}`,
        );
      }
      const [inserted] = await tx<OverrideRow>(OVERRIDES)
        .insert({
          group_ref: groupRef,
          user_ref: override.userRef.toLocaleLowerCase('en-US'),
          start_at: start,
          end_at: end,
          created_by: override.createdBy,
          reason: override.reason ?? null,
          created_at: now.getTime(),
        })
        .returning('*');
      return toOverride(inserted);
    });
  }

  private async lockGroup(tx: Knex.Transaction, groupRef: string) {
    try {
      await tx(LOCKS)
        .insert({ group_ref: groupRef, version: 0 })
        .onConflict('group_ref')
        .ignore();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    await tx(LOCKS).where('group_ref', groupRef).increment('version', 1);
  }

  async list(groupRef: string, from: Date, to: Date) {
    const rows = await this.db<OverrideRow>(OVERRIDES)
      .where('group_ref', groupRef.toLocaleLowerCase('en-US'))
      .andWhere('start_at', '<', to.getTime())
      .andWhere('end_at', '>', from.getTime())
      .orderBy('start_at')
      .limit(1000);
    return rows.map(toOverride);
  }

  async get(id: number) {
    const row = await this.db<OverrideRow>(OVERRIDES).where({ id }).first();
    return row && toOverride(row);
  }

  async delete(groupRef: string, id: number) {
    const deleted = await this.db<OverrideRow>(OVERRIDES)
      .where({ id, group_ref: groupRef.toLocaleLowerCase('en-US') })
      .delete();
    return deleted > 0;
  }
}

function toOverride(row: OverrideRow): OnCallOverride {
  return {
    id: Number(row.id),
    groupRef: row.group_ref,
    userRef: row.user_ref,
    start: new Date(Number(row.start_at)).toISOString(),
    end: new Date(Number(row.end_at)).toISOString(),
    createdBy: row.created_by,
    ...(row.reason ? { reason: row.reason } : {}),
    createdAt: new Date(Number(row.created_at)).toISOString(),
  };
}
