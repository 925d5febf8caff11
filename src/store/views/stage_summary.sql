-- One row per stage attempt: its tasks, their spread and what they read, wrote and spilled.
-- Units: *_ms milliseconds, bytes. Task quantiles are over every task end of the attempt.
CREATE OR REPLACE VIEW stage_summary AS
SELECT s.app_key, s.stage_id, s.stage_attempt_id, s.name, s.status, s.num_tasks,
       count(t.task_id) AS tasks,
       s.duration_ms AS wall_ms,
       min(t.duration_ms) AS task_min_ms,
       quantile_disc(t.duration_ms, 0.5) AS task_p50_ms,
       quantile_disc(t.duration_ms, 0.75) AS task_p75_ms,
       quantile_disc(t.duration_ms, 0.95) AS task_p95_ms,
       max(t.duration_ms) AS task_max_ms,
       sum(t.duration_ms) AS task_time_ms,
       sum(t.executor_run_time_ms) AS run_time_ms,
       sum(t.executor_cpu_time_ns) // 1000000 AS cpu_time_ms,
       sum(t.jvm_gc_time_ms) AS gc_time_ms,
       sum(t.input_bytes) AS input_bytes,
       sum(t.output_bytes) AS output_bytes,
       sum(t.shuffle_read_bytes) AS shuffle_read_bytes,
       sum(t.shuffle_write_bytes) AS shuffle_write_bytes,
       sum(t.memory_bytes_spilled) AS memory_spill_bytes,
       sum(t.disk_bytes_spilled) AS disk_spill_bytes,
       count(*) FILTER (WHERE t.status = 'failed') AS failed_tasks,
       count(*) FILTER (WHERE t.status = 'killed') AS killed_tasks,
       count(*) FILTER (WHERE t.speculative) AS speculative_tasks
FROM stages s
LEFT JOIN tasks t USING (app_key, stage_id, stage_attempt_id)
GROUP BY ALL;
