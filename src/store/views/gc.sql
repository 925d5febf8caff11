-- One row per executor that ran tasks, and one per app (executor_id NULL): JVM GC time as a share of the run
-- time of its tasks. Severity uses Dr. Elephant's bands 0.08 / 0.1 / 0.15 / 0.2 (none, low, moderate, severe,
-- critical). Units: ms.
CREATE OR REPLACE VIEW gc AS
WITH per_executor AS (
  SELECT app_key, executor_id, sum(jvm_gc_time_ms) AS gc_time_ms, sum(executor_run_time_ms) AS run_time_ms
  FROM tasks GROUP BY ALL
), rows AS (
  SELECT app_key, executor_id, gc_time_ms, run_time_ms FROM per_executor
  UNION ALL
  SELECT app_key, NULL, sum(gc_time_ms), sum(run_time_ms) FROM per_executor GROUP BY app_key
)
SELECT *, gc_time_ms / nullif(run_time_ms, 0) AS gc_ratio,
       CASE WHEN gc_time_ms / nullif(run_time_ms, 0) >= 0.2 THEN 'critical'
            WHEN gc_time_ms / nullif(run_time_ms, 0) >= 0.15 THEN 'severe'
            WHEN gc_time_ms / nullif(run_time_ms, 0) >= 0.1 THEN 'moderate'
            WHEN gc_time_ms / nullif(run_time_ms, 0) >= 0.08 THEN 'low'
            ELSE 'none' END AS severity
FROM rows;
