import type { FieldSpec } from '../events/row-template.js';
import { type Column, type JsonPath, type SqlType, type Table, largeValueEvents, pathIn, quoteIdent, sqlString, storedColumns } from './spec.js';

/**
 * SQL that turns staged lines into rows. Every staged line carries `_s` (its app's slot in the batch) and `_l`
 * (its line number in that app's log). Parameter $1 is the list of app keys by slot (1-based); a NULL key drops
 * that slot's lines (an app that failed, or a partial copy of an app already stored whole).
 */

/** JSON values are read with these types; clock columns arrive as epoch milliseconds. */
function rawType(type: SqlType): string {
  return type === 'TIMESTAMP' ? 'BIGINT' : type;
}

function converted(type: SqlType, expr: string): string {
  // Spark writes -1 or 0 for clocks it never set (e.g. a stage that never completed).
  return type === 'TIMESTAMP' ? `CASE WHEN ${expr} > 0 THEN epoch_ms(${expr}) END` : expr;
}

type TypeTree = Map<string, TypeTree | string>;

function addPath(tree: TypeTree, path: JsonPath, leafType: string): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    let child = node.get(key);
    if (!(child instanceof Map)) {
      child = new Map();
      node.set(key, child);
    }
    node = child;
  }
  node.set(path[path.length - 1]!, leafType);
}

function renderStruct(tree: TypeTree): string {
  const fields = [...tree].map(([key, t]) => `${quoteIdent(key)} ${typeof t === 'string' ? t : renderStruct(t)}`);
  return `STRUCT(${fields.join(', ')})`;
}

function columnsArgument(tree: TypeTree): string {
  const entries = [...tree].map(([key, t]) => `${sqlString(key)}: ${sqlString(typeof t === 'string' ? t : renderStruct(t))}`);
  return `{${entries.join(', ')}}`;
}

function accessor(root: string, path: JsonPath): string {
  return [root, ...path.map(quoteIdent)].join('.');
}

const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

/** Readable lines of apps that are kept. */
const KEEP_LINE = 'j._s IS NOT NULL AND ($1)[j._s] IS NOT NULL';

function readNdjson(fileParam: string, tree: TypeTree, maxLineBytes = DEFAULT_MAX_LINE_BYTES): string {
  // A line DuckDB cannot read comes back as a row of NULLs (ignore_errors): the NULL "_s" marks it.
  return `read_ndjson(${fileParam}, columns = ${columnsArgument(tree)}, ignore_errors = true, maximum_object_size = ${maxLineBytes})`;
}

/**
 * The typed read of one event's staged lines (aliased `j`), with every field the table reads from that event,
 * and the expression of each column over its record: the line itself, one of its objects, or (unnested as `r`)
 * an element of one of its arrays.
 */
function readEvent(table: Table, event: string, fileParam: string) {
  const recordPath = table.records?.[event] ?? [];
  const isArray = recordPath[recordPath.length - 1] === '[]';
  const recordKeys = isArray ? recordPath.slice(0, -1) : recordPath;
  const root = isArray ? 'r' : accessor('j', recordKeys);
  const tree: TypeTree = new Map([['_s', 'INTEGER'], ['_l', 'BIGINT'], ['Event', 'VARCHAR']]);
  const recordTree: TypeTree = new Map();
  const exprs: string[] = [];
  for (const [name, c] of Object.entries(table.columns)) {
    const path = pathIn(c, event);
    if (!path) {
      if (c.json) exprs.push(`NULL::${rawType(c.type)} AS ${name}`);
      continue;
    }
    addPath(recordTree, path, rawType(c.type));
    exprs.push(`${[root, ...path.map(quoteIdent)].join('.')} AS ${name}`);
  }
  if (recordKeys.length === 0) for (const [k, v] of recordTree) tree.set(k, v);
  else if (recordTree.size > 0) addPath(tree, recordKeys, renderStruct(recordTree) + (isArray ? '[]' : ''));
  return { read: readNdjson(fileParam, tree, table.maxLineBytes), recordKeys, isArray, exprs };
}

/**
 * One row per line (or per element of the record array) of one event, every column of the table. Fields are
 * read straight off the JSON columns: packing a line into a struct first would double the work.
 */
function selectFromEvent(table: Table, event: string, fileParam: string): string {
  const rank = `${table.events.indexOf(event)}::BIGINT * 4294967296 + j._l`;
  const { read, recordKeys, isArray, exprs } = readEvent(table, event, fileParam);
  if (!isArray) {
    return `SELECT ($1)[j._s] AS app_key, ${sqlString(event)} AS _event, ${rank} AS _rank, ${exprs.join(', ')} FROM ${read} j WHERE ${KEEP_LINE}`;
  }
  const rows = `(SELECT ($1)[j._s] AS app_key, ${rank} AS _rank, unnest(${accessor('j', recordKeys)}) AS r FROM ${read} j WHERE ${KEEP_LINE})`;
  return `SELECT app_key, ${sqlString(event)} AS _event, _rank, ${exprs.join(', ')} FROM ${rows}`;
}

/**
 * The INSERT that turns the staged lines of `events` (one file each: $2, $3, ... in that order) into rows of
 * `table`. Rows of several events merge on the table's key; for a column two events give, the later event in
 * `table.events` wins, and among lines of one event the later line (adaptive re-plans). `joinLarge`: large
 * values pass the merge by a join (see joinsLargeValues).
 */
export function extractSql(table: Table, events: readonly string[], joinLarge = false): string {
  if (table.rowsSql) return customRowsSql(table, events[0]!);
  const unioned = events.map((event, i) => selectFromEvent(table, event, `$${i + 2}`)).join('\nUNION ALL BY NAME\n');
  const merged = table.mergeKey ? mergeByKey(table.mergeKey, jsonColumns(table), unioned, joinLarge) : `(${unioned})`;
  return insertRows(table, merged);
}

/** The INSERT of `rows` (app_key, _event and every JSON column, raw) into `table`. */
function insertRows(table: Table, rows: string): string {
  const convertedRows = `(SELECT app_key, _event, ${jsonColumns(table).map(([n, c]) => `${converted(c.type, n)} AS ${n}`).join(', ')} FROM ${rows})`;
  const stored = storedColumns(table);
  const values = stored.map(([name, c]) => (c.sql ? `${c.sql} AS ${name}` : name));
  return `INSERT INTO ${table.name} (${stored.map(([n]) => n).join(', ')})\nSELECT ${values.join(', ')} FROM ${convertedRows}`;
}

function jsonColumns(table: Table): [string, Column][] {
  return Object.entries(table.columns).filter(([, c]) => c.json);
}

/** What a row buffer (src/events/row-buffer.ts) reads of `table`'s lines: each JSON column's path and kind. */
export function rowFields(table: Table): FieldSpec[] {
  const event = table.events[0]!;
  return jsonColumns(table).map(([name, c]) => ({ path: pathIn(c, event)!, ...fieldKind(name, c.type) }));
}

function fieldKind(name: string, type: SqlType): Pick<FieldSpec, 'kind' | 'digits'> {
  if (type === 'VARCHAR') return { kind: 'string' };
  if (type === 'BOOLEAN') return { kind: 'boolean' };
  // INTEGER's range holds every number of 9 digits; a longer one is DuckDB's to read (or refuse).
  if (type === 'INTEGER') return { kind: 'integer', digits: 9 };
  if (type === 'BIGINT' || type === 'TIMESTAMP') return { kind: 'integer' };
  throw new Error(`column ${name}: a row buffer does not read ${type}`);
}

/** The last row column: how many of the INSERT's strings come before those of the row's buffer (see BufferRun). */
const STRINGS_OFFSET = '_o';

/** The row columns as the table function names them: the line's slot and number, the fields, then `_o`. */
export function rowColumns(table: Table): string[] {
  return ['_s', '_l', ...jsonColumns(table).map(([n]) => n), STRINGS_OFFSET];
}

/**
 * The INSERT of rows row buffers read, from table function `fn()` (columns as `rowColumns` names them, all
 * BIGINT: a boolean is 0 or 1, a string column holds the id of its value among its buffer's strings, from 1,
 * which start in $2 after `_o` others). $1 = app keys by slot. For tables of one event, whose rows need no merge.
 */
export function extractRowsSql(table: Table, fn: string): string {
  const values = jsonColumns(table).map(([n, c]) => `${fromBigInt(c.type, `r.${n}`)} AS ${n}`);
  const rows = `(SELECT ($1)[r._s] AS app_key, ${sqlString(table.events[0]!)} AS _event, ${values.join(', ')} FROM ${fn}() r WHERE ($1)[r._s] IS NOT NULL)`;
  return insertRows(table, rows);
}

function fromBigInt(type: SqlType, value: string): string {
  if (type === 'VARCHAR') return `($2)[${value} + r.${STRINGS_OFFSET}]`;
  return type === 'BIGINT' || type === 'TIMESTAMP' ? value : `${value}::${type}`;
}

function customRowsSql(table: Table, event: string): string {
  const { read } = readEvent(table, event, '$2');
  const select = table.rowsSql!.replace('{read}', `${read} j`).replace('{keep}', KEEP_LINE);
  return `INSERT INTO ${table.name} (${storedColumns(table).map(([n]) => n).join(', ')})\n${select}`;
}

function mergeByKey(key: readonly string[], columns: [string, Column][], unioned: string, joinLarge: boolean): string {
  const groupKey = ['app_key', ...key];
  const merged = columns.filter(([n]) => !key.includes(n));
  const joined = (c: Column) => joinLarge && c.large === true;
  const aggregates = merged.map(([n, c]) =>
    // A joined column's aggregate keeps only the rank of its winning line (line numbers are unique in an app).
    joined(c) ? `max(_rank) FILTER (WHERE ${n} IS NOT NULL) AS _rank_${n}` : `arg_max(${n}, _rank) FILTER (WHERE ${n} IS NOT NULL) AS ${n}`,
  );
  let rows = `(SELECT ${groupKey.join(', ')}, arg_max(_event, _rank) AS _event, ${aggregates.join(', ')} FROM (${unioned}) GROUP BY ${groupKey.join(', ')})`;
  for (const [n] of merged.filter(([, c]) => joined(c))) {
    // The lines are read again for the large values alone, which stream past a hash table of the merged rows:
    // DuckDB builds on a join's right side, when told to keep it there (see joinsLargeValues).
    const values = `(SELECT app_key, _rank, ${n} FROM (${unioned}) WHERE ${n} IS NOT NULL)`;
    rows = `(SELECT m.*, v.${n} FROM ${values} v RIGHT JOIN ${rows} m ON v.app_key = m.app_key AND v._rank = m._rank_${n})`;
  }
  return rows;
}

/** Up to this many staged bytes of the lines that carry a table's large values, the merge holds them. */
const HELD_LARGE_VALUE_BYTES = 16 * 1024 * 1024;

/**
 * Whether a table's large values (plans, SQL texts) must pass its merge by a join, `bytesOf` giving the size of
 * each event's staged file: the merge's aggregate holds every value of a batch until its end, and a Thrift
 * server's log has hundreds of MB of them, while the join costs a second read of their lines. SQL that joins
 * must run with DuckDB's choice of a join's build side turned off: left to its estimates, it built on the large
 * values and held them all in memory.
 */
export function joinsLargeValues(table: Table, bytesOf: (event: string) => number): boolean {
  const events = largeValueEvents(table);
  return table.mergeKey !== undefined && events.length > 0 && events.reduce((n, e) => n + bytesOf(e), 0) > HELD_LARGE_VALUE_BYTES;
}

/** Positions (from 1) of the lines of a staged event file that DuckDB could not read. $1 = the file. */
export function badLinesSql(table: Table, event: string): string {
  const { read } = readEvent(table, event, '$1');
  return `SELECT pos FROM (SELECT _s, row_number() OVER () AS pos FROM ${read}) WHERE _s IS NULL ORDER BY pos`;
}

/**
 * How many lines of each staged event file DuckDB could not read, for many files in one statement: per-file
 * scans cost a sixth of a fleet's DuckDB time in planning alone, and a bad line is rare. Each file is read as
 * its `table` reads it; $1, $2, ... are the files. Returns one row per file: `file` (its index) and `bad`.
 */
export function badLineCountsSql(reads: readonly { table: Table; event: string }[]): string {
  return reads
    .map(({ table, event }, i) => `SELECT ${i} AS file, count(*) FILTER (WHERE _s IS NULL) AS bad FROM ${readEvent(table, event, `$${i + 1}`).read}`)
    .join('\nUNION ALL ');
}

/**
 * The INSERT of rows Node built (apps, files, errors), staged as JSON objects whose keys are the
 * column names. $1 = app keys by slot, $2 = the file.
 */
export function nodeRowsSql(table: Table): string {
  const stored = storedColumns(table).filter(([name]) => name !== 'app_key');
  const tree: TypeTree = new Map([['_s', 'INTEGER']]);
  for (const [name, c] of stored) tree.set(name, rawType(c.type));
  const values = ['($1)[j._s]', ...stored.map(([name, c]) => converted(c.type, `j.${name}`))];
  return `INSERT INTO ${table.name} (app_key, ${stored.map(([n]) => n).join(', ')})
SELECT ${values.join(', ')} FROM ${readNdjson('$2', tree)} j WHERE ($1)[j._s] IS NOT NULL`;
}
