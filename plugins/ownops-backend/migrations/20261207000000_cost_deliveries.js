// @ts-check

/*
 * What each FOCUS export delivery was when it was last ingested, so a run
 * reads only the deliveries that changed; and, per run, how many were
 * unchanged (a run that skipped them all read nothing, yet found them).
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ownops_cost_deliveries', table => {
    table.comment(
      'The last ingested state of each delivery of each cost source',
    );
    table.string('source', 255).notNullable();
    table
      .string('delivery_key', 255)
      .notNullable()
      .comment('e.g. BILLING_PERIOD=2026-11, 20261101-20261130, folder');
    table
      .string('fingerprint', 1024)
      .notNullable()
      .comment('Manifest execution or run id, or the files’ sizes and times');
    table.bigInteger('rows_read').notNullable();
    table
      .bigInteger('changed_at')
      .notNullable()
      .comment('Epoch ms of the run that stored this fingerprint');
    table.primary(['source', 'delivery_key']);
  });
  await knex.schema.alterTable('ownops_cost_ingestion_runs', table => {
    table.integer('unchanged_deliveries').notNullable().defaultTo(0);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('ownops_cost_ingestion_runs', table => {
    table.dropColumn('unchanged_deliveries');
  });
  await knex.schema.dropTable('ownops_cost_deliveries');
};
