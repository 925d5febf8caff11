-- One row per SQL execution: the join strategies of its final physical plan, with its duration and the shuffle,
-- spill and failures of the tasks of its jobs. Units: ms, bytes. So "which join strategy coincided with
-- failures under this executor memory" is one query, joined with spark_properties.
CREATE OR REPLACE VIEW sql_joins AS
WITH execution_stages AS (
  SELECT DISTINCT j.app_key, j.sql_execution_id AS execution_id, s.stage_id
  FROM jobs j, unnest(j.stage_ids) AS s(stage_id)
  WHERE j.sql_execution_id IS NOT NULL
), work AS (
  SELECT es.app_key, es.execution_id,
         sum(t.shuffle_read_bytes) AS shuffle_read_bytes, sum(t.shuffle_write_bytes) AS shuffle_write_bytes,
         sum(t.memory_bytes_spilled) AS memory_spill_bytes, sum(t.disk_bytes_spilled) AS disk_spill_bytes,
         count(t.task_id) FILTER (WHERE t.status = 'failed') AS failed_tasks
  FROM execution_stages es JOIN tasks t USING (app_key, stage_id)
  GROUP BY ALL
)
SELECT q.app_key, q.execution_id, q.description, q.duration_ms,
       list_sort(list_distinct(regexp_extract_all(q.physical_plan,
         '(BroadcastHashJoin|SortMergeJoin|ShuffledHashJoin|BroadcastNestedLoopJoin|CartesianProduct)'))) AS join_strategies,
       len(regexp_extract_all(q.physical_plan, '(BroadcastHashJoin|SortMergeJoin|ShuffledHashJoin|BroadcastNestedLoopJoin|CartesianProduct)')) AS joins,
       w.shuffle_read_bytes, w.shuffle_write_bytes, w.memory_spill_bytes, w.disk_spill_bytes,
       coalesce(w.failed_tasks, 0) AS failed_tasks,
       q.error_message IS NOT NULL OR coalesce(w.failed_tasks, 0) > 0 AS had_failures
FROM sql_executions q LEFT JOIN work w USING (app_key, execution_id);
