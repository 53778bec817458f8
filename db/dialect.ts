// Which SQL dialect a migration runs on: the few statements that differ between SQLite and
// PostgreSQL (column types, partial indexes) branch on it.
export type MigrationDialect = "sqlite" | "postgres";
