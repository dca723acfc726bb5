/**
 * airflow-task-instances: a client for the task-instance part of Apache Airflow's REST API, one
 * facade over Airflow 3 (`/api/v2`) and Airflow 2 (`/api/v1`).
 */
export { createAirflowClient } from "./client.js";
export type { AirflowClient, LogsApi, TaskInstancesApi } from "./client.js";
export type { FollowLogOptions, LogChunk, ReadLogOptions } from "./logs/follow.js";
export { decodeLogToken } from "./logs/token.js";
export type { LogTokenPayload } from "./logs/token.js";
export type { ClientOptions } from "./options.js";
export type { RetryOptions } from "./http/transport.js";
export type { AuthOption, BasicAuth, TokenAuth, AuthHeaderProvider } from "./auth.js";
export {
  AirflowError,
  AirflowHttpError,
  AirflowInputError,
  AirflowNetworkError,
  AirflowTimeoutError,
  AirflowWaitTimeoutError,
  isAirflowError,
} from "./errors.js";
export type { RequestDescription } from "./errors.js";
export type { TaskInstanceRef, TaskRef } from "./refs.js";
export type { Page, PageOptions, Paginator } from "./pagination.js";
export type { DateInput, TaskInstanceFilters } from "./filters.js";
export type {
  BatchForm,
  CallOptions,
  ListMappedQuery,
  ListQuery,
  MappedOrderBy,
  OrderBy,
  SortKey,
  SetStateOptions,
  TaskInstance,
  TaskInstanceReference,
} from "./task-instances.js";
export { FINISHED_STATES, SETTABLE_STATES, TASK_STATES } from "./validate.js";
export type { SettableState, TaskStateName } from "./validate.js";
export type { ApiLineName } from "./wire/line.js";
export type { DagVersionInfo, JobInfo, TaskInstanceState, TriggerInfo } from "./model.js";
export type { LogRecord } from "./wire/v2/log-records.js";
export type { RawClient, RawClientV2 } from "./client.js";
export type { ClearOptions } from "./clear.js";
export type { TaskDependency, TaskInstanceTry } from "./inspect.js";
export type { WaitOptions } from "./wait.js";
