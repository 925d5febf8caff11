-- One row per stage attempt that read or spilled anything: memory and disk spill, and spill per byte the stage
-- handled (Dr. Elephant's ratio: memory spill / the largest of input, shuffle read, shuffle write, output).
-- Units: bytes. The app's totals are the rows with stage_id NULL.
CREATE OR REPLACE VIEW spill AS
WITH per_stage AS (
  SELECT app_key, stage_id, stage_attempt_id,
         sum(memory_bytes_spilled) AS memory_spill_bytes, sum(disk_bytes_spilled) AS disk_spill_bytes,
         sum(input_bytes) AS input_bytes, sum(shuffle_read_bytes) AS shuffle_read_bytes,
         sum(shuffle_write_bytes) AS shuffle_write_bytes, sum(output_bytes) AS output_bytes
  FROM tasks GROUP BY ALL
)
SELECT app_key, stage_id, stage_attempt_id, memory_spill_bytes, disk_spill_bytes,
       memory_spill_bytes / nullif(greatest(input_bytes, shuffle_read_bytes, shuffle_write_bytes, output_bytes), 0) AS spill_ratio,
       coalesce(memory_spill_bytes, 0) > 0 OR coalesce(disk_spill_bytes, 0) > 0 AS spills
FROM per_stage
UNION ALL
SELECT app_key, NULL, NULL, sum(memory_spill_bytes), sum(disk_spill_bytes),
       sum(memory_spill_bytes) / nullif(greatest(sum(input_bytes), sum(shuffle_read_bytes), sum(shuffle_write_bytes), sum(output_bytes)), 0),
       count(*) FILTER (WHERE coalesce(memory_spill_bytes, 0) > 0 OR coalesce(disk_spill_bytes, 0) > 0) > 0
FROM per_stage GROUP BY app_key;
