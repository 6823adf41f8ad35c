// @ts-check

const ACTIVE = "('awaiting_approval', 'queued', 'running')";

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ownops_deployments', table => {
    table.comment('Deployments and rollbacks of catalog entities');
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('environment', 63).notNullable();
    table.string('version', 128).notNullable();
    table.string('kind', 16).notNullable();
    table.bigInteger('rollback_of').nullable();
    table.bigInteger('rollback_to').nullable();
    table.string('status', 32).notNullable();
    table.string('target_id', 255).notNullable();
    table.text('external_handle').nullable();
    table.string('requested_by', 255).notNullable();
    table.string('approved_by', 255).nullable();
    table.text('reason').nullable();
    table.text('failure_reason').nullable();
    table.string('idempotency_key', 255).nullable();
    table.boolean('cancel_requested').notNullable().defaultTo(false);
    table.string('runner_id', 255).nullable();
    table.bigInteger('created_at').notNullable();
    table.bigInteger('started_at').nullable();
    table.bigInteger('finished_at').nullable();
    table.bigInteger('heartbeat_at').nullable();
    table.index(
      ['entity_ref', 'environment', 'id'],
      'ownops_deployments_entity_env_idx',
    );
    table.index(
      ['status', 'heartbeat_at'],
      'ownops_deployments_status_heartbeat_idx',
    );
    table.unique(['entity_ref', 'idempotency_key'], {
      indexName: 'ownops_deployments_idempotency_uq',
    });
  });

  // At most one deployment holds an entity's environment. Partial unique
  // indexes exist on both PostgreSQL and SQLite, so the database decides.
  await knex.raw(
    `CREATE UNIQUE INDEX ownops_deployments_one_active_uq ON ownops_deployments (entity_ref, environment) WHERE status IN ${ACTIVE}`,
  );

  await knex.schema.createTable('ownops_deployment_logs', table => {
    table.comment('Bounded log lines of each deployment');
    table.bigIncrements('id').primary();
    table
      .bigInteger('deployment_id')
      .notNullable()
      .references('id')
      .inTable('ownops_deployments')
      .onDelete('CASCADE');
    table.integer('seq').notNullable();
    table.bigInteger('logged_at').notNullable();
    table.string('stream', 8).notNullable();
    table.text('message').notNullable();
    table.unique(['deployment_id', 'seq'], {
      indexName: 'ownops_deployment_logs_seq_uq',
    });
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ownops_deployment_logs');
  await knex.schema.dropTable('ownops_deployments');
};
