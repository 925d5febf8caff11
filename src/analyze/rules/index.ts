import type { Facts } from '../facts.js';
import type { Finding, Thresholds } from '../findings.js';
import { driverBound } from './driver-bound.js';
import { failedStages } from './failed-stages.js';
import { gcPressure } from './gc-pressure.js';
import { idleExecutors } from './idle-executors.js';
import { memoryKill } from './memory-kill.js';
import { spill } from './spill.js';
import { stageSkew } from './stage-skew.js';
import { taskFailures } from './task-failures.js';

/** Every rule, in the README's order. */
export const rules: ((facts: Facts, thresholds: Thresholds) => Finding[])[] = [
  stageSkew, spill, gcPressure, taskFailures, memoryKill, failedStages, idleExecutors, driverBound,
];
