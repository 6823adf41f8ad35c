// @ts-check

/**
 * Monthly budgets of components and groups.
 *
 * Money is exact: `amount` is `decimal(16,4)` where the database has an exact
 * decimal type that its driver returns as a string (PostgreSQL, MySQL). SQLite
 * has none — a `decimal` column there has NUMERIC affinity and keeps values
 * as 64-bit floats — so on SQLite `amount` is text holding the canonical
 * decimal string. `amount_scale` is the number of fraction digits the user
 * wrote (0–4), so the API gives back exactly "1500.00" for "1500.00" on
 * every database.
 *
 * Budget alerts (a later migration) refer to a budget by `entity_ref`.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  const sqlite = String(knex.client.config.client).includes('sqlite');
  await knex.schema.createTable('ownops_budgets', table => {
    table.comment('Monthly budgets of components and groups');
    table
      .string('entity_ref', 255)
      .primary()
      .comment('Lower-cased ref of a component or group');
    if (sqlite) {
      table.text('amount').notNullable().comment('Canonical decimal string');
    } else {
      table.decimal('amount', 16, 4).notNullable();
      table.check('?? >= 0', ['amount'], 'ownops_budgets_amount_non_negative');
    }
    table
      .smallint('amount_scale')
      .notNullable()
      .comment('Fraction digits of the amount as entered, 0-4');
    table.specificType('currency', 'char(3)').notNullable();
    table
      .text('thresholds')
      .notNullable()
      .comment('JSON array of alert percentages, ascending');
    table.string('updated_by', 255).notNullable();
    table.bigInteger('updated_at').notNullable().comment('Epoch milliseconds');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ownops_budgets');
};
