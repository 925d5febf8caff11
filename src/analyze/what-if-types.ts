/** What the what-if simulation needs of one app, read from the tables (times in epoch ms). */
export interface SimTask {
  stageId: number;
  stageAttemptId: number;
  executorId: string;
  launchMs: number;
  durationMs: number;
  /** Index of the task in its stage attempt: a retry launched after its failed attempt ended has to wait for it
   * in the replay too. Absent: every task is independent. */
  index?: number | null;
}

export interface SimStage {
  stageId: number;
  stageAttemptId: number;
  /** Parent stage ids (the DAG), whichever attempt of them ran. */
  parentIds: number[];
  submitMs: number | null;
  completeMs: number | null;
}

export interface SimJob {
  submitMs: number;
  endMs: number | null;
  stageIds: number[];
}

export interface SimExecutor {
  executorId: string;
  cores: number;
  addMs: number;
  /** When it left; null: it stayed to the end. */
  removeMs: number | null;
  /**
   * Resource profile (Spark 3.1+ stage-level scheduling): a stage runs only on executors of its profile, so the
   * replay keeps one pool of cores per profile. Absent or null: the default profile, 0.
   */
  resourceProfileId?: number | null;
}

export interface SimInput {
  appStartMs: number;
  appEndMs: number;
  tasks: SimTask[];
  stages: SimStage[];
  jobs: SimJob[];
  /** Executors with cores (in local mode, the driver). */
  executors: SimExecutor[];
  /** Cores each task takes (spark.task.cpus): an executor runs cores / taskCpus tasks at once. Absent: 1. */
  taskCpus?: number;
}

export interface WhatIfScenario {
  executors: number;
  cores: number;
  /** Predicted wall time of the whole app, driver time included. */
  simulatedMs: number;
  /** executors × cores × simulated time, in hours. */
  coreHours: number;
  /** Task time over the core time held while jobs run (0..1). */
  utilisation: number;
}

export interface WhatIf {
  observed: {
    /** Peak concurrent executors and their most common core count. */
    executors: number;
    cores: number;
    actualMs: number;
    /** The replay on the app's real executor timeline: how well the model matches this run. */
    simulatedMs: number;
    /** |simulated - actual| / actual. */
    errorRatio: number;
  };
  /** 0.25x, 0.5x, 1x, 2x, 4x the observed executors (at least one), same cores each. */
  scenarios: WhatIfScenario[];
  /** Time outside jobs (driver work between and around jobs), kept as measured in every scenario. */
  driverMs: number;
  /** Sparklens' critical path: driver time plus, per job group, the longest chain of slowest tasks: no cluster beats it. */
  criticalPathMs: number;
  /** Driver time plus all task time spread perfectly over the observed cores. */
  idealMs: number;
}
