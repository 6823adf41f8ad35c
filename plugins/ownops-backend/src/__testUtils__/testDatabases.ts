import { TestDatabases } from '@backstage/backend-test-utils';

/**
 * The databases store tests run on: SQLite always, PostgreSQL wherever a
 * connection string is configured. With OWNOPS_REQUIRE_POSTGRES=1 (set by
 * the project's test command) a missing PostgreSQL fails the run instead of
 * being skipped silently.
 */
export function createTestDatabases(): TestDatabases {
  const databases = TestDatabases.create();
  const ids = databases.eachSupportedId().map(([id]) => id);
  if (
    process.env.OWNOPS_REQUIRE_POSTGRES === '1' &&
    !ids.some(id => id.startsWith('POSTGRES'))
  ) {
    throw new Error(
      `OWNOPS_REQUIRE_POSTGRES=1 but no PostgreSQL is available to TestDatabases (have: ${ids.join(
        ', ',
      )}); set BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING`,
    );
  }
  return databases;
}
