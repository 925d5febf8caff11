/** Spark's default `spark.redaction.regex`, matched case-insensitively against a property's name and value. */
export const SPARK_REDACTION_PATTERN = 'secret|password|token|access[.]key';
/** What Spark writes in place of a secret. */
export const REDACTED = '*********(redacted)';
