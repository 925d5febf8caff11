/**
 * A table is described once: columns with their type, unit, meaning and where each value sits in Spark's JSON.
 * The DDL, the README's schema section and the SQL that turns raw event lines into rows all derive from it.
 */
export type SqlType = 'INTEGER' | 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'BOOLEAN' | 'TIMESTAMP' | 'INTEGER[]' | 'JSON';
export type JsonPath = readonly string[];

export interface Column {
  type: SqlType;
  doc: string;
  /** 'ms', 'ns', 'bytes', 'epoch ms' (a TIMESTAMP read from epoch milliseconds), 'cores', 'records'. */
  unit?: string;
  /** Where the value is, relative to the event's record; one path for every event, or one per event. */
  json?: JsonPath | Readonly<Record<string, JsonPath>>;
  /** A value computed from the other columns of the same row (SQL over column names). */
  sql?: string;
  /** Read only to compute `sql` columns; not stored. */
  helper?: boolean;
  /**
   * Values can run to megabytes (query plans). Rows merged from several lines take it from their winning line
   * by a join instead of through the merge's aggregate, which would hold every value of a batch at once.
   */
  large?: boolean;
}

export interface Table {
  name: string;
  doc: string;
  /** Events whose lines make the rows, lowest priority first: when two events give one column, the later wins. */
  events: readonly string[];
  /** Rows from several events are merged on these columns (besides app_key). */
  mergeKey?: readonly string[];
  /** Per event, the object (or, ending in '[]', the array of objects) that holds a row's fields. */
  records?: Readonly<Record<string, JsonPath>>;
  columns: Readonly<Record<string, Column>>;
  /**
   * For the rare table whose rows are not one per record (properties are the keys of an object): a SELECT of
   * app_key and the stored columns in order, over `{read}` (the typed read of its one event, aliased `j`) and
   * `{keep}` (the condition that drops unreadable lines and dropped apps).
   */
  rowsSql?: string;
  /** Longest line DuckDB accepts (default 16 MiB, for query plans); its JSON reader splits work by this size. */
  maxLineBytes?: number;
}

export function defineTable<const T extends Table>(table: T): T {
  return table;
}

/** Columns stored in the table, in order: app_key first for every per-app table. */
export function storedColumns(table: Table): [string, Column][] {
  return Object.entries(table.columns).filter(([, c]) => !c.helper);
}

export function ddl(table: Table): string[] {
  const cols = storedColumns(table).map(([name, c]) => `  ${name} ${c.type}`);
  const statements = [`CREATE TABLE IF NOT EXISTS ${table.name} (\n${cols.join(',\n')}\n)`];
  statements.push(`COMMENT ON TABLE ${table.name} IS ${sqlString(table.doc)}`);
  for (const [name, c] of storedColumns(table)) {
    const unit = c.unit ? ` [${c.unit}]` : '';
    statements.push(`COMMENT ON COLUMN ${table.name}.${name} IS ${sqlString(c.doc + unit)}`);
  }
  return statements;
}

/** A SQL string literal for constants written in this code base (never for user input: that goes in parameters). */
export function sqlString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The README's schema section. */
export function schemaDoc(tables: readonly Table[]): string {
  const parts: string[] = [];
  for (const table of tables) {
    parts.push(`### \`${table.name}\`\n\n${table.doc}\n`);
    parts.push('| column | type | unit | meaning | from |');
    parts.push('| --- | --- | --- | --- | --- |');
    for (const [name, c] of storedColumns(table)) {
      parts.push(`| ${name} | ${c.type} | ${c.unit ?? ''} | ${c.doc.replaceAll('|', '\\|')} | ${describeSource(table, c)} |`);
    }
    parts.push('');
  }
  return parts.join('\n');
}

function describeSource(table: Table, c: Column): string {
  if (c.sql) return `\`${c.sql.replaceAll('|', '\\|').replace(/\s+/g, ' ')}\``;
  if (!c.json) return 'sparkopt';
  const paths = isPathList(c.json) ? Object.fromEntries(table.events.map((e) => [e, c.json as JsonPath])) : c.json;
  return Object.entries(paths)
    .map(([event, path]) => `${shortEvent(event)}: ${[...(table.records?.[event] ?? []), ...path].join(' › ')}`)
    .join('; ');
}

export function shortEvent(event: string): string {
  return event.slice(event.lastIndexOf('.') + 1);
}

export function isPathList(json: Column['json']): json is JsonPath {
  return Array.isArray(json);
}

/** The events whose lines carry one of the table's large values. */
export function largeValueEvents(table: Table): string[] {
  return table.events.filter((event) => Object.values(table.columns).some((c) => c.large && pathIn(c, event)));
}

/** The path of a column inside one event, or undefined when that event does not carry it. */
export function pathIn(c: Column, event: string): JsonPath | undefined {
  if (!c.json) return undefined;
  return isPathList(c.json) ? c.json : c.json[event];
}
