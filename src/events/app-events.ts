import { APP_EVENTS } from './catalog.js';
import { redactProperty } from './redact.js';

/** What the app-level events say about one application attempt. */
export interface AppInfo {
  appId?: string;
  attemptId?: string;
  appName?: string;
  user?: string;
  sparkVersion?: string;
  startTime?: number;
  endTime?: number;
  /** Spark Properties, already redacted. */
  properties?: [string, string][];
}

type Json = Record<string, unknown>;

/** Folds one parsed app-level event into `info`. */
export function applyAppEvent(info: AppInfo, name: string, event: Json): void {
  switch (name) {
    case APP_EVENTS.logStart:
      info.sparkVersion = text(event['Spark Version']);
      break;
    case APP_EVENTS.appStart:
      info.appId = text(event['App ID']);
      info.attemptId = text(event['App Attempt ID']);
      info.appName = text(event['App Name']);
      info.user = text(event['User']);
      info.startTime = clock(event['Timestamp']);
      break;
    case APP_EVENTS.appEnd:
      info.endTime = clock(event['Timestamp']);
      break;
    case APP_EVENTS.environment:
      info.properties = propertyPairs(event['Spark Properties']).map(([k, v]) => [k, redactProperty(k, v)]);
      break;
  }
}

/** Spark writes properties as an object; some versions and tools write a list of [name, value] pairs. */
function propertyPairs(value: unknown): [string, string][] {
  if (Array.isArray(value)) {
    return value.filter((p): p is unknown[] => Array.isArray(p) && p.length >= 2).map((p) => [String(p[0]), String(p[1])]);
  }
  if (value && typeof value === 'object') return Object.entries(value as Json).map(([k, v]) => [k, String(v)]);
  return [];
}

function text(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : String(value);
}

function clock(value: unknown): number | undefined {
  return typeof value === 'number' && value > 0 ? value : undefined;
}

/** `<appId>_<attemptId>` when the log has an attempt id, else the app id. */
export function appKeyOf(info: AppInfo): string | undefined {
  if (!info.appId) return undefined;
  return info.attemptId ? `${info.appId}_${info.attemptId}` : info.appId;
}
