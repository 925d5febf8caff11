-- One row per app (ABSA Spot's formulas). Units: ms. The parallel part is the union of every stage's
-- [first task launch, completion] interval (a stage still running when a cut log ends: up to its last task's
-- finish); the rest of the app's duration is sequential (driver) time, never negative. The estimated one-core
-- time runs every task one after another after that driver time.
CREATE OR REPLACE VIEW app_speedup AS
WITH spans AS (
  SELECT s.app_key, epoch_ms(min(t.launch_time)) AS start_ms, epoch_ms(coalesce(any_value(s.complete_time), max(t.finish_time))) AS end_ms
  FROM stages s JOIN tasks t USING (app_key, stage_id, stage_attempt_id)
  GROUP BY s.app_key, s.stage_id, s.stage_attempt_id
), ordered AS (
  SELECT *, max(end_ms) OVER (PARTITION BY app_key ORDER BY start_ms, end_ms ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
  FROM spans
), islands AS (
  SELECT *, sum(CASE WHEN reach IS NULL OR start_ms > reach THEN 1 ELSE 0 END) OVER (PARTITION BY app_key ORDER BY start_ms, end_ms) AS island
  FROM ordered
), parallel AS (
  SELECT app_key, sum(island_end - island_start) AS parallel_ms FROM (
    SELECT app_key, island, min(start_ms) AS island_start, max(end_ms) AS island_end FROM islands GROUP BY ALL
  ) GROUP BY app_key
), task_time AS (
  SELECT app_key, sum(duration_ms) AS task_time_ms FROM tasks GROUP BY app_key
)
SELECT a.app_key, a.duration_ms,
       coalesce(p.parallel_ms, 0) AS parallel_ms,
       greatest(a.duration_ms - coalesce(p.parallel_ms, 0), 0) AS sequential_ms,
       greatest(a.duration_ms - coalesce(p.parallel_ms, 0), 0) + coalesce(t.task_time_ms, 0) AS one_core_ms,
       (greatest(a.duration_ms - coalesce(p.parallel_ms, 0), 0) + coalesce(t.task_time_ms, 0)) / nullif(a.duration_ms, 0) AS speedup
FROM apps a LEFT JOIN parallel p USING (app_key) LEFT JOIN task_time t USING (app_key);
