export { clientsApi, emptyFilter } from './clients';
export { cohortsApi } from './cohorts';
export { workspaceApi } from './workspace';
export { errorMessage, clientErrorField, cohortErrorField } from './errors';
export { EventImportProgress, onImportProgress } from './events';
export type * from './types';
