/** Spark's default `spark.redaction.regex`. */
const SECRET = /secret|password|token|access[.]key/i;
export const REDACTED = '*********(redacted)';

/** Redacts like Spark's Utils.redact: a property is secret when its name or its value matches. */
export function redactProperty(name: string, value: string): string {
  return SECRET.test(name) || SECRET.test(value) ? REDACTED : value;
}
