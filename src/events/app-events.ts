import { APP_EVENTS } from './catalog.js';

/** What the app-level events say about one application attempt. */
export interface AppInfo {
  appId?: string;
  attemptId?: string;
  appName?: string;
  user?: string;
  sparkVersion?: string;
  startTime?: number;
  endTime?: number;
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
  }
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
