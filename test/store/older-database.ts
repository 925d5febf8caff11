import { DuckDBInstance } from '@duckdb/node-api';
import path from 'node:path';
import { tempDir } from '../temp-dirs.js';

/**
 * A database file as DuckDB makes one by default (256 KiB blocks), as sparkopt made its files before 64 KiB
 * blocks, holding a table `t` of one row (n = 2).
 */
export async function olderDatabase(): Promise<string> {
  const file = path.join(tempDir(), 'older.duckdb');
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  await connection.run('CREATE TABLE t AS SELECT 2 AS n');
  connection.closeSync();
  instance.closeSync();
  return file;
}
