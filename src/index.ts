/** airflow-task-instances: a client for the task-instance part of Airflow 2.x's REST API v1. */
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
  SetStateOptions,
  TaskInstance,
  TaskInstanceReference,
} from "./task-instances.js";
export type { SettableState, TaskStateName } from "./validate.js";
export type { RawClient } from "./client.js";
