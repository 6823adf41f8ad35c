/**
 * The most entity refs one query lists in an `IN (…)`: longer lists are
 * read in chunks, well under SQLite's limit on bound variables.
 */
export const MAX_REFS_PER_QUERY = 500;
