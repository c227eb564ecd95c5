export { clientsApi, emptyFilter } from './clients';
export { cohortsApi } from './cohorts';
export { mailApi } from './mail';
export { conversationsApi } from './conversations';
export { digestsApi } from './digests';
export { workspaceApi } from './workspace';
export { errorMessage, clientErrorField, cohortErrorField } from './errors';
export { EventImportProgress, EventOutboxProgress, EventSyncDone, EventSyncProgress, onImportProgress, onOutboxProgress, onSyncDone, onSyncProgress } from './events';
export type * from './types';
