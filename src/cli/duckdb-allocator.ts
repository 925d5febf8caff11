/**
 * DuckDB's allocator (jemalloc, inside its library) reads its options from this variable once, when DuckDB
 * first allocates: the ingest command sets it before its modules load DuckDB. A value the user set is kept.
 */
const VARIABLE = 'DUCKDB_JE_MALLOC_CONF';
/**
 * One arena instead of DuckDB's two on this 2-core machine. Node runs DuckDB's statements on any of its pool's
 * threads (four then, two since bin/sparkopt.js sizes the pool), and jemalloc gives each thread an arena of its
 * own choosing: what one statement freed in one arena was not reused by the next, on a thread of the other
 * (measured on the 1 GB log with 16,384-row row groups, see db.ts: peak RSS 283 -> 239 MB, no slower; Node's
 * worker threads cut to one also took 30 MB off, but slowly).
 */
const ONE_ARENA = 'narenas:1';

export function useOneDuckDbArena(env: NodeJS.ProcessEnv = process.env): void {
  env[VARIABLE] ??= ONE_ARENA;
}
