// @ts-check

/**
 * On-call overrides: a person on call for a group instead of the rotation,
 * for a span of time (epoch milliseconds, start inclusive, end exclusive).
 *
 * Overlapping overrides for one group are refused. Neither SQLite nor a
 * portable PostgreSQL schema can express that as a constraint, so creates
 * serialise per group on a row of `ownops_oncall_override_locks`: the
 * store's transaction bumps that row (a row lock on PostgreSQL; SQLite
 * serialises writers anyway), then checks for overlaps and inserts.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('ownops_oncall_overrides', table => {
    table.comment('On-call overrides per group');
    table.bigIncrements('id').primary();
    table.string('group_ref', 255).notNullable();
    table.string('user_ref', 255).notNullable();
    table.bigInteger('start_at').notNullable().comment('epoch ms, inclusive');
    table.bigInteger('end_at').notNullable().comment('epoch ms, exclusive');
    table.string('created_by', 255).notNullable();
    table.text('reason').nullable();
    table.bigInteger('created_at').notNullable().comment('epoch ms');
    table.index(['group_ref', 'start_at'], 'ownops_oncall_overrides_group_idx');
  });
  await knex.schema.createTable('ownops_oncall_override_locks', table => {
    table.comment('One row per group; creates lock it to check overlaps');
    table.string('group_ref', 255).primary();
    table.bigInteger('version').notNullable().defaultTo(0);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('ownops_oncall_override_locks');
  await knex.schema.dropTable('ownops_oncall_overrides');
};
