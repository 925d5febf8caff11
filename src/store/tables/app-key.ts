import type { Column } from '../spec.js';

export const appKeyColumn: Column = {
  type: 'VARCHAR',
  doc: 'The app id, or `<appId>_<attemptId>` when the log has an attempt id; joins every per-app table.',
};
