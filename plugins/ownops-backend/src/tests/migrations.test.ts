import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { createTestDatabases } from '../__testUtils__/testDatabases';

jest.setTimeout(60_000);

const migrationsDir = resolvePackagePath(
  '@ownops/backstage-plugin-backend',
  'migrations',
);

async function migrateUpOnce(knex: Knex) {
  await knex.migrate.up({ directory: migrationsDir });
}

async function migrateDownOnce(knex: Knex) {
  await knex.migrate.down({ directory: migrationsDir });
}

describe('migrations', () => {
  const databases = createTestDatabases();

  it.each(databases.eachSupportedId())(
    'steps up and down and enforces one active deployment, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUpOnce(knex);

      const row = (status: string) => ({
        entity_ref: 'component:default/a',
        environment: 'staging',
        version: '1.0.0',
        kind: 'deploy',
        status,
        target_id: 'local',
        requested_by: 'user:default/a',
        created_at: Date.now(),
      });
      await knex('ownops_deployments').insert(row('succeeded'));
      await knex('ownops_deployments').insert(row('succeeded'));
      await knex('ownops_deployments').insert(row('running'));
      // better-sqlite3 raises errors from another realm, so match the shape.
      const duplicateActive = knex('ownops_deployments')
        .insert(row('queued'))
        .then(() => 'inserted');
      await expect(duplicateActive).rejects.toMatchObject({
        message: expect.stringMatching(/unique|duplicate/i),
      });

      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('ownops_deployments')).toBe(false);
      expect(await knex.schema.hasTable('ownops_deployment_logs')).toBe(false);
      await knex.destroy();
    },
  );

  it.each(databases.eachSupportedId())(
    'adds budgets with exact amounts and one budget per entity, and removes them again, %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await migrateUpOnce(knex);
      await migrateUpOnce(knex);

      const budget = (amount: string) => ({
        entity_ref: 'component:default/a',
        amount,
        amount_scale: 4,
        currency: 'USD',
        thresholds: '[50,80,100]',
        updated_by: 'user:default/a',
        updated_at: Date.now(),
      });
      // Through a float this would read back as ...2968.
      await knex('ownops_budgets').insert(budget('989674158026.2967'));
      const [row] = await knex('ownops_budgets').select('amount');
      expect(typeof row.amount).toBe('string');
      expect(row.amount).toBe('989674158026.2967');
      const duplicate = knex('ownops_budgets')
        .insert(budget('1.0000'))
        .then(() => 'inserted');
      await expect(duplicate).rejects.toMatchObject({
        message: expect.stringMatching(/unique|duplicate/i),
      });

      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('ownops_budgets')).toBe(false);
      expect(await knex.schema.hasTable('ownops_deployments')).toBe(true);
      await migrateDownOnce(knex);
      expect(await knex.schema.hasTable('ownops_deployments')).toBe(false);
      await knex.destroy();
    },
  );
});
