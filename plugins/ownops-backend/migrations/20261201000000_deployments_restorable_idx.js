// @ts-check

/*
 * The rollback candidates of an environment (DatabaseDeploymentStore
 * listRestorable: the newest successful deployment of each version) read
 * by entity, environment and status, grouped by version. Without this index
 * SQLite chose ownops_deployments_status_heartbeat_idx (status only) and read
 * every successful deployment of every entity: ~230 ms per environment with
 * 1,000,000 deployments, on each entity summary and environments read.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ownops_deployments', table => {
    table.index(
      ['entity_ref', 'environment', 'status', 'version'],
      'ownops_deployments_restorable_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ownops_deployments', table => {
    table.dropIndex([], 'ownops_deployments_restorable_idx');
  });
};
