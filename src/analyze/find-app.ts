import { UsageError } from '../errors.js';
import type { Db } from '../store/db.js';

/**
 * The app a user means: an exact app key, a unique prefix of one, or an app name (its newest attempt);
 * with `latest`, the newest app. Ambiguity is a usage error listing the candidates.
 */
export async function findApp(db: Db, query: string | undefined, latest: boolean): Promise<string> {
  if (latest || query === undefined) {
    if (!latest) throw new UsageError('name an app (key, unique prefix or app name) or pass --latest');
    const [newest] = await db.all<{ app_key: string }>('SELECT app_key FROM apps ORDER BY start_time DESC NULLS LAST LIMIT 1');
    if (!newest) throw new UsageError('the database holds no app: run `sparkopt ingest <logs>` first');
    return newest.app_key;
  }
  const exact = await db.all<{ app_key: string }>('SELECT app_key FROM apps WHERE app_key = ? OR app_id = ?', [query, query]);
  if (exact.length === 1) return exact[0]!.app_key;
  const byPrefix = await db.all<{ app_key: string }>('SELECT app_key FROM apps WHERE starts_with(app_key, ?) ORDER BY app_key', [query]);
  if (byPrefix.length === 1) return byPrefix[0]!.app_key;
  const byName = await db.all<{ app_key: string }>('SELECT app_key FROM apps WHERE app_name = ? ORDER BY start_time DESC NULLS LAST', [query]);
  if (byPrefix.length === 0 && byName.length > 0) return byName[0]!.app_key;
  const candidates = [...new Set([...exact, ...byPrefix].map((r) => r.app_key))];
  if (candidates.length > 1) throw new UsageError(`${query} matches ${candidates.length} apps: ${candidates.slice(0, 5).join(', ')}${candidates.length > 5 ? ', ...' : ''}`);
  throw new UsageError(`no app matches ${query}: see \`sparkopt apps\``);
}
