-- One row per app: how much of the cores it held did tasks use (ABSA Spot's formulas). Units: core-ms.
-- An executor (of app_executors) counts from when it was added to when it was removed, or to the app's end.
-- Executors with no known cores hold no task cores. Busy core-ms assumes one core per task (spark.task.cpus = 1,
-- the default).
CREATE OR REPLACE VIEW executor_efficiency AS
WITH app_end AS (
  SELECT app_key, coalesce(end_time, last_event_time) AS end_time FROM apps
), held AS (
  SELECT e.app_key, e.executor_id, e.total_cores, e.add_time,
         coalesce(e.remove_time, a.end_time) AS until_time
  FROM app_executors e JOIN app_end a USING (app_key)
  WHERE e.total_cores > 0
), busy AS (
  SELECT app_key, executor_id, sum(duration_ms) AS task_ms, count(*) AS tasks FROM tasks GROUP BY ALL
), events AS (
  SELECT app_key, add_time AS event_time, 1 AS executors, total_cores AS cores FROM held
  UNION ALL SELECT app_key, until_time, -1, -total_cores FROM held WHERE until_time IS NOT NULL
), running AS (
  SELECT app_key,
         sum(executors) OVER w AS executors, sum(cores) OVER w AS cores
  FROM events WINDOW w AS (PARTITION BY app_key ORDER BY event_time, executors ROWS UNBOUNDED PRECEDING)
)
SELECT h.app_key,
       count(*) AS executors,
       sum(h.total_cores * greatest(epoch_ms(h.until_time) - epoch_ms(h.add_time), 0)) AS allocated_core_ms,
       sum(coalesce(b.task_ms, 0)) AS busy_core_ms,
       sum(coalesce(b.task_ms, 0)) / nullif(sum(h.total_cores * greatest(epoch_ms(h.until_time) - epoch_ms(h.add_time), 0)), 0) AS efficiency,
       count(*) FILTER (WHERE coalesce(b.tasks, 0) = 0) AS idle_executors,
       (SELECT max(r.executors) FROM running r WHERE r.app_key = h.app_key) AS peak_executors,
       (SELECT max(r.cores) FROM running r WHERE r.app_key = h.app_key) AS peak_cores
FROM held h LEFT JOIN busy b USING (app_key, executor_id)
GROUP BY h.app_key;
