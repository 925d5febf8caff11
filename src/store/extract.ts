import { type Column, type JsonPath, type SqlType, type Table, pathIn, quoteIdent, sqlString, storedColumns } from './spec.js';

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

interface EventRead {
  event: string;
  rank: number;
  /** Placeholder of the parameter holding this event's list of staged line files. */
  filesParam: string;
}

/** The `read_ndjson` call for one event's staged lines, typed with every field the table reads from it. */
function readEvent(table: Table, event: string, filesParam: string): { read: string; recordKeys: JsonPath; isArray: boolean; exprs: string[] } {
  const recordPath = table.records?.[event] ?? [];
  const isArray = recordPath[recordPath.length - 1] === '[]';
  const recordKeys = isArray ? recordPath.slice(0, -1) : recordPath;
  // A line DuckDB cannot read comes back as a row of NULLs: a NULL "Event" marks it.
  const tree: TypeTree = new Map([['Event', 'VARCHAR']]);
  const recordTree: TypeTree = new Map();
  const exprs: string[] = [];
  for (const [name, c] of Object.entries(table.columns)) {
    const path = pathIn(c, event);
    if (!path) {
      if (c.json) exprs.push(`NULL::${rawType(c.type)} AS ${name}`);
      continue;
    }
    addPath(recordTree, path, rawType(c.type));
    exprs.push(`${accessor('r', path)} AS ${name}`);
  }
  if (recordKeys.length === 0) {
    for (const [k, v] of recordTree) tree.set(k, v);
  } else if (recordTree.size > 0) {
    addPath(tree, recordKeys, renderStruct(recordTree) + (isArray ? '[]' : ''));
  }
  const read = `read_ndjson(${filesParam}, columns = ${columnsArgument(tree)}, ignore_errors = true, maximum_object_size = 67108864)`;
  return { read, recordKeys, isArray, exprs };
}

/**
 * SELECT for one event: one row per line (or per element of the record array), every column of the table.
 * Only merged tables need the line order (to let the last event win); numbering lines costs a full
 * materialisation, so single-event tables skip it.
 */
function selectFromEvent(table: Table, read: EventRead): string {
  const { read: source, recordKeys, isArray, exprs } = readEvent(table, read.event, read.filesParam);
  const record = recordKeys.length === 0 ? 'j' : accessor('j', recordKeys);
  const numbered = table.mergeKey ? `(SELECT *, row_number() OVER () AS line_seq FROM ${source})` : `(SELECT *, 0 AS line_seq FROM ${source})`;
  const lines = `${numbered} j WHERE j."Event" IS NOT NULL`;
  const rows = isArray ? `(SELECT unnest(${record}) AS r, line_seq AS seq FROM ${lines})` : `(SELECT ${record} AS r, line_seq AS seq FROM ${lines})`;
  return `SELECT ${sqlString(read.event)} AS _event, ${read.rank}::BIGINT * 4294967296 + seq AS _rank, ${exprs.join(', ')} FROM ${rows}`;
}

/** Positions (from 1) of the staged lines of `event` that DuckDB could not read as that event. Parameter: $1 = file. */
export function badLinesSql(table: Table, event: string): string {
  const { read } = readEvent(table, event, '$1');
  return `SELECT line_seq FROM (SELECT "Event", row_number() OVER () AS line_seq FROM ${read}) WHERE "Event" IS NULL ORDER BY line_seq`;
}

/**
 * The INSERT that turns staged lines into rows of `table` for one app. Parameters: $1 = app_key, then one list
 * of file paths per event in `events` (events with no staged lines must be left out by the caller).
 */
export function extractSql(table: Table, events: readonly string[]): string {
  const reads: EventRead[] = events.map((event, i) => ({ event, rank: table.events.indexOf(event), filesParam: `$${i + 2}` }));
  const selects = reads.map((r) => selectFromEvent(table, r));
  const unioned = selects.join('\nUNION ALL BY NAME\n');
  const jsonColumns = Object.entries(table.columns).filter(([, c]) => c.json);
  const merged = table.mergeKey ? mergeByKey(table.mergeKey, jsonColumns, unioned) : `(${unioned})`;
  const convertedRows = `(SELECT _event, ${jsonColumns.map(([n, c]) => `${converted(c.type, n)} AS ${n}`).join(', ')} FROM ${merged})`;
  const stored = storedColumns(table);
  const values = stored.map(([name, c]) => (name === 'app_key' ? '$1' : c.sql ? `${c.sql} AS ${name}` : name));
  return `INSERT INTO ${table.name} (${stored.map(([n]) => n).join(', ')})\nSELECT ${values.join(', ')} FROM ${convertedRows}`;
}

function mergeByKey(key: readonly string[], columns: [string, Column][], unioned: string): string {
  const aggregates = columns
    .filter(([n]) => !key.includes(n))
    .map(([n]) => `arg_max(${n}, _rank) FILTER (WHERE ${n} IS NOT NULL) AS ${n}`);
  return `(SELECT ${key.join(', ')}, arg_max(_event, _rank) AS _event, ${aggregates.join(', ')} FROM (${unioned}) GROUP BY ${key.join(', ')})`;
}
