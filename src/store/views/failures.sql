-- One row per app, kind of failure and reason: tasks that failed or were killed (by end reason and exception),
-- failed stages and jobs, executors removed. memory_kill marks memory deaths: an OutOfMemoryError, a
-- container killed for exceeding memory limits, or exit code 137 / 143; container_kill the latter two alone
-- (the container outgrew its limit, not the JVM heap).
CREATE OR REPLACE VIEW failures AS
WITH found AS (
  SELECT app_key, 'task' AS kind, coalesce(exception_class, end_reason) AS reason, failure_message AS detail, status AS outcome
  FROM tasks WHERE status <> 'success'
  UNION ALL SELECT app_key, 'stage', split_part(failure_reason, chr(10), 1), failure_reason, status FROM stages WHERE status = 'failed'
  UNION ALL SELECT app_key, 'job', split_part(failure_reason, chr(10), 1), failure_reason, result FROM jobs WHERE result = 'failed'
  UNION ALL SELECT app_key, 'executor', removed_reason, removed_reason, 'removed' FROM executors WHERE removed_reason IS NOT NULL
),
classified AS (
  SELECT *, regexp_matches(evidence, 'exceeding memory limits|exit (code|status):? ?(137|143)|code (137|143)') AS container_kill
  FROM (SELECT *, coalesce(reason, '') || ' ' || coalesce(detail, '') AS evidence FROM found)
)
SELECT app_key, kind, outcome, reason, count(*) AS count, any_value(detail) AS example,
       bool_or(container_kill OR contains(evidence, 'OutOfMemoryError')) AS memory_kill,
       bool_or(container_kill) AS container_kill
FROM classified GROUP BY app_key, kind, outcome, reason;
