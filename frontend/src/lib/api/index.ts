export { clientsApi, emptyFilter } from './clients';
export { cohortsApi } from './cohorts';
export { mailApi } from './mail';
export { workspaceApi } from './workspace';
export { errorMessage, clientErrorField, cohortErrorField } from './errors';
export { EventImportProgress, EventOutboxProgress, onImportProgress, onOutboxProgress } from './events';
export type * from './types';
