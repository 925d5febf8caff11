-- One row per stage attempt with successful tasks: how uneven they were. Units: ms, bytes.
-- Median, not mean: one straggler moves the mean as much as the skew we want to see. Bytes read are
-- input + shuffle read. Thresholds that decide whether skew matters live in the stage-skew rule.
CREATE OR REPLACE VIEW stage_skew AS
WITH t AS (
  SELECT app_key, stage_id, stage_attempt_id, duration_ms,
         coalesce(input_bytes, 0) + coalesce(shuffle_read_bytes, 0) AS read_bytes
  FROM tasks WHERE status = 'success'
)
SELECT t.app_key, t.stage_id, t.stage_attempt_id,
       count(*) AS tasks,
       max(t.duration_ms) AS max_task_ms,
       median(t.duration_ms) AS median_task_ms,
       max(t.duration_ms) / nullif(median(t.duration_ms), 0) AS duration_skew,
       max(read_bytes) AS max_read_bytes,
       median(read_bytes) AS median_read_bytes,
       max(read_bytes) / nullif(median(read_bytes), 0) AS read_skew,
       max(t.duration_ms) / nullif(any_value(s.duration_ms), 0) AS max_task_share_of_stage,
       any_value(s.duration_ms) AS stage_wall_ms
FROM t JOIN stages s USING (app_key, stage_id, stage_attempt_id)
GROUP BY ALL;
