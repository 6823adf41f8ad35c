// @ts-check

/**
 * An entity's history across environments (`WHERE entity_ref = ? [AND id <
 * cursor] ORDER BY id DESC LIMIT n`) had only (entity_ref, environment, id):
 * the database read every deployment of the entity and sorted them for each
 * page. With (entity_ref, id) a page reads its own rows only.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('ownops_deployments', table => {
    table.index(['entity_ref', 'id'], 'ownops_deployments_entity_id_idx');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ownops_deployments', table => {
    table.dropIndex([], 'ownops_deployments_entity_id_idx');
  });
};
