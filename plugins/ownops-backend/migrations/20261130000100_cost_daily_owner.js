// @ts-check

/**
 * Daily cost per owner and cost center: `ownops_cost_daily` summed over
 * entities, environments and service categories, replaced together with it
 * (same source and billing period, same transaction). The organisation's
 * breakdowns by owner or cost center read this table: a year of it is a few
 * hundred rows a day instead of one per entity, environment and category.
 *
 * Sums stay exact: units and nanos are summed separately as in the daily
 * table (nanos are not carried into units). `unallocated` is 1 for rows with
 * neither entity nor owner.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ownops_cost_daily_owner', table => {
    table.comment(
      'ownops_cost_daily summed per day, owner, cost center and currency',
    );
    table.string('day', 10).notNullable().comment('UTC YYYY-MM-DD');
    table.string('source', 255).notNullable();
    table.string('billing_period', 7).notNullable().comment('YYYY-MM');
    table.string('owner_ref', 255).nullable();
    table.string('cost_center', 255).nullable();
    table
      .smallint('unallocated')
      .notNullable()
      .comment('1 when the rows had neither entity nor owner');
    table.specificType('currency', 'char(3)').notNullable();
    for (const name of ['billed', 'effective']) {
      table.bigInteger(`${name}_units`).notNullable();
      table.bigInteger(`${name}_nanos`).notNullable();
    }
    table.index(['source', 'billing_period'], 'ownops_cost_owner_period_idx');
    table.index(['day'], 'ownops_cost_owner_day_idx');
    table.index(['owner_ref', 'day'], 'ownops_cost_owner_owner_idx');
    table.index(['cost_center', 'day'], 'ownops_cost_owner_cost_center_idx');
  });
  // The rows already ingested.
  await knex.raw(`INSERT INTO ownops_cost_daily_owner
  (day, source, billing_period, owner_ref, cost_center, unallocated, currency,
   billed_units, billed_nanos, effective_units, effective_nanos)
  SELECT day, source, billing_period, owner_ref, cost_center,
    CASE WHEN entity_ref IS NULL AND owner_ref IS NULL THEN 1 ELSE 0 END,
    currency, SUM(billed_units), SUM(billed_nanos), SUM(effective_units),
    SUM(effective_nanos)
  FROM ownops_cost_daily
  GROUP BY day, source, billing_period, owner_ref, cost_center,
    CASE WHEN entity_ref IS NULL AND owner_ref IS NULL THEN 1 ELSE 0 END,
    currency`);
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ownops_cost_daily_owner');
};
