-- One row per SQL execution: the join strategies of its final physical plan, with its duration and the shuffle,
-- spill and failures of the tasks of its jobs. Units: ms, bytes. So "which join strategy coincided with
-- failures under this executor memory" is one query, joined with spark_properties. Joins are read from the
-- final plan's tree only: plan texts name each operator again in AQE's initial plan, in the numbered details
-- below the tree and (extended explain) in the logical plans above it.
CREATE OR REPLACE VIEW sql_joins AS
WITH execution_stages AS (
  -- A stage's work is its first job's: later jobs that list it reuse its output (the stage is skipped there).
  SELECT app_key, execution_id, stage_id FROM (
    SELECT j.app_key, j.sql_execution_id AS execution_id, s.stage_id,
           row_number() OVER (PARTITION BY j.app_key, s.stage_id ORDER BY j.job_id) AS nth
    FROM jobs j, unnest(j.stage_ids) AS s(stage_id)
  ) WHERE nth = 1 AND execution_id IS NOT NULL
), work AS (
  SELECT es.app_key, es.execution_id,
         sum(t.shuffle_read_bytes) AS shuffle_read_bytes, sum(t.shuffle_write_bytes) AS shuffle_write_bytes,
         sum(t.memory_bytes_spilled) AS memory_spill_bytes, sum(t.disk_bytes_spilled) AS disk_spill_bytes,
         count(t.task_id) FILTER (WHERE t.status = 'failed') AS failed_tasks
  FROM execution_stages es JOIN tasks t USING (app_key, stage_id)
  GROUP BY ALL
), final_tree AS (
  -- After the first "Final Plan" marker (subqueries in the details have their own), before the initial plan.
  SELECT app_key, execution_id,
         split_part(split_part(CASE WHEN contains(physical, '== Final Plan ==') THEN split_part(physical, '== Final Plan ==', 2) ELSE physical END,
           '== Initial Plan ==', 1), chr(10) || chr(10), 1) AS tree
  FROM (
    SELECT app_key, execution_id, CASE WHEN contains(physical_plan, '== Physical Plan ==')
                                       THEN split_part(physical_plan, '== Physical Plan ==', 2) ELSE coalesce(physical_plan, '') END AS physical
    FROM sql_executions LEFT JOIN sql_plans USING (app_key, execution_id)
  )
), joins AS (
  SELECT app_key, execution_id,
         regexp_extract_all(tree, '(BroadcastHashJoin|SortMergeJoin|ShuffledHashJoin|BroadcastNestedLoopJoin|CartesianProduct)') AS found
  FROM final_tree
)
SELECT q.app_key, q.execution_id, q.description, q.duration_ms,
       list_sort(list_distinct(j.found)) AS join_strategies, len(j.found) AS joins,
       w.shuffle_read_bytes, w.shuffle_write_bytes, w.memory_spill_bytes, w.disk_spill_bytes,
       coalesce(w.failed_tasks, 0) AS failed_tasks,
       q.error_message IS NOT NULL OR coalesce(w.failed_tasks, 0) > 0 AS had_failures
FROM sql_executions q JOIN joins j USING (app_key, execution_id) LEFT JOIN work w USING (app_key, execution_id);
