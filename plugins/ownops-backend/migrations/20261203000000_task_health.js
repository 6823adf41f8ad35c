// @ts-check

/*
 * The last run of each scheduled task (deployment reconciler, cost
 * ingestion, budget checks), whichever replica ran it, for
 * GET /health: one row per task, updated at each start and finish.
 */

/**
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ownops_task_health', table => {
    table.comment('Last run of each scheduled Ownops task, across replicas');
    table.string('task_id', 255).primary();
    table.integer('runs').notNullable().defaultTo(0);
    table.integer('failures').notNullable().defaultTo(0);
    table
      .string('last_outcome', 16)
      .notNullable()
      .comment('running | succeeded | failed');
    table.string('last_replica', 255).notNullable();
    table.bigInteger('last_started_at').notNullable().comment('Epoch ms');
    table.bigInteger('last_finished_at').nullable().comment('Epoch ms');
    table.text('last_error').nullable();
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ownops_task_health');
};
