-- One row per executor that can run the app's tasks: every executor, but a driver announced beside executors
-- with cores that ran no task (some logs announce it with cores outside local mode; in local mode it is the
-- executor). The views and the what-if read executors' cores from here.
CREATE OR REPLACE VIEW app_executors AS
SELECT e.* FROM executors e
WHERE e.executor_id <> 'driver'
   OR EXISTS (SELECT 1 FROM tasks t WHERE t.app_key = e.app_key AND t.executor_id = 'driver')
   OR NOT EXISTS (SELECT 1 FROM executors o WHERE o.app_key = e.app_key AND o.executor_id <> 'driver' AND o.total_cores > 0);
