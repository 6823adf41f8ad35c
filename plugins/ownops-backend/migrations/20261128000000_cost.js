// @ts-check

/**
 * Cost rollups, ingestion runs and budget alerts.
 *
 * Money is exact on every database: each amount is two integers, whole
 * currency units and nanos (billionths, with the sign of the units), as in
 * `google.type.Money`. Sums of integers are exact on SQLite and PostgreSQL
 * alike, and summing units and nanos separately cannot overflow for any
 * real bill. Daily rollups are summed exactly from the bill's own decimals
 * and rounded once, half to even, to nanos when stored.
 *
 * Days are UTC `YYYY-MM-DD` strings and billing periods `YYYY-MM`, so
 * ranges compare as text on both databases.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  /**
   * @param {import('knex').Knex.CreateTableBuilder} table
   * @param {string} name
   */
  const money = (table, name) => {
    table.bigInteger(`${name}_units`).notNullable();
    table
      .bigInteger(`${name}_nanos`)
      .notNullable()
      .comment('Billionths, same sign as the units');
  };

  await knex.schema.createTable('ownops_cost_daily', table => {
    table.comment(
      'Daily cost rollups; a source and billing period is replaced as a whole',
    );
    table.string('day', 10).notNullable().comment('UTC YYYY-MM-DD');
    table.string('source', 255).notNullable();
    table.string('billing_period', 7).notNullable().comment('YYYY-MM');
    table.string('entity_ref', 255).nullable();
    table.string('owner_ref', 255).nullable();
    table.string('cost_center', 255).nullable();
    table.string('environment', 255).nullable();
    table.string('service_category', 255).notNullable();
    table.specificType('currency', 'char(3)').notNullable();
    money(table, 'billed');
    money(table, 'effective');
    table.index(['source', 'billing_period'], 'ownops_cost_daily_period_idx');
    table.index(['day'], 'ownops_cost_daily_day_idx');
    table.index(['entity_ref', 'day'], 'ownops_cost_daily_entity_idx');
    table.index(['owner_ref', 'day'], 'ownops_cost_daily_owner_idx');
    table.index(['cost_center', 'day'], 'ownops_cost_daily_cost_center_idx');
  });

  await knex.schema.createTable('ownops_cost_unallocated', table => {
    table.comment(
      'The costliest unallocated resources per source, billing period and currency',
    );
    table.string('source', 255).notNullable();
    table.string('billing_period', 7).notNullable();
    table.text('resource').notNullable();
    table.specificType('currency', 'char(3)').notNullable();
    money(table, 'effective');
    table.integer('records').notNullable();
    table.string('reasons', 255).notNullable().comment('Comma-separated');
    table.index(['source', 'billing_period'], 'ownops_cost_unalloc_period_idx');
  });

  await knex.schema.createTable('ownops_cost_ingestion_runs', table => {
    table.comment('One row per ingestion of a cost source');
    table.bigIncrements('id').primary();
    table.string('source', 255).notNullable();
    table.string('trigger', 16).notNullable().comment('schedule | manual');
    table.string('requested_by', 255).nullable();
    table
      .string('status', 16)
      .notNullable()
      .comment('running | succeeded | failed');
    table.bigInteger('started_at').notNullable().comment('Epoch milliseconds');
    table
      .bigInteger('heartbeat_at')
      .notNullable()
      .comment('Epoch milliseconds');
    table.bigInteger('finished_at').nullable();
    table.bigInteger('rows_read').notNullable().defaultTo(0);
    table.bigInteger('rows_rejected').notNullable().defaultTo(0);
    table.text('billing_periods').notNullable().defaultTo('[]').comment('JSON');
    table
      .text('unallocated_share')
      .notNullable()
      .defaultTo('[]')
      .comment('JSON');
    table.text('error').nullable();
    table.index(['source', 'id'], 'ownops_cost_runs_source_idx');
  });
  // One running ingestion per source, across replicas: the database decides.
  await knex.raw(
    `CREATE UNIQUE INDEX ownops_cost_runs_one_running_uq ON ownops_cost_ingestion_runs (source) WHERE status = 'running'`,
  );

  await knex.schema.createTable('ownops_budget_alerts', table => {
    table.comment('Budget thresholds already notified, once per month each');
    table.string('entity_ref', 255).notNullable();
    table.string('month', 7).notNullable().comment('YYYY-MM, UTC');
    table.integer('threshold').notNullable().comment('Percent of the budget');
    table.specificType('currency', 'char(3)').notNullable();
    table.string('budget_amount', 32).notNullable();
    table.string('month_to_date', 64).notNullable();
    table.bigInteger('created_at').notNullable().comment('Epoch milliseconds');
    table.primary(['entity_ref', 'month', 'threshold']);
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ownops_budget_alerts');
  await knex.schema.dropTable('ownops_cost_ingestion_runs');
  await knex.schema.dropTable('ownops_cost_unallocated');
  await knex.schema.dropTable('ownops_cost_daily');
};
