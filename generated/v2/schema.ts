/**
 * GENERATED FILE - DO NOT EDIT.
 * Written by `make generate` from openapi/v2.yaml. Fix the spec and regenerate instead.
 */
export interface paths {
    "/auth/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Log in and get an access token
         * @description Exchanges a user name and password for a JWT to send as `Authorization: Bearer <token>`.
         *     It lives at the server root, not under `/api/v2`. The simple auth manager (the default) and
         *     the FAB auth manager both answer 201 with `{"access_token"}`; there is no expiry field and
         *     no refresh token (the token lasts `[api_auth] jwt_expiration_time`, 86400 s by default, and
         *     then the API answers 401 "Token Expired"). The body may also be sent form-encoded.
         */
        post: operations["create_token"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/version": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get version information
         * @description Needs no authentication. Answers 200 only on Airflow 3; an Airflow 2 server has no
         *     `/api/v2`. Used to learn which parameters the server knows.
         */
        get: operations["get_version"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
            };
            cookie?: never;
        };
        /**
         * Get a task instance
         * @description Answers only the unmapped instance (map_index -1). For a mapped task the server answers 404
         *     with detail "Task instance is mapped, add the map_index value to the URL".
         */
        get: operations["get_task_instance"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Set the state and/or the note of a task instance
         * @description Applies only the fields present in the body (a note-only body sets the note; this replaces
         *     v1's `setNote`). When both are sent the note is applied first. Without `map_index` on a
         *     mapped task, **every** map index is changed. Answers the task instances it changed, in full.
         *     Setting the state a task instance already has answers 409 "Task id ... is already in
         *     success state". To see what would change without changing it, use the `/dry_run` twin.
         */
        patch: operations["patch_task_instance"];
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/dry_run": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Preview a state or note change of a task instance
         * @description Takes the same body as `patch_task_instance` and changes nothing. Answers the task instances
         *     that would change, with their **current** state; an empty list when the state asked for is
         *     the one they already have. A `dry_run` field in the body is refused (422 `extra_forbidden`):
         *     in v2 the dry run is this separate endpoint.
         */
        patch: operations["patch_task_instance_dry_run"];
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The map index of a mapped task instance. */
                map_index: components["parameters"]["MapIndex"];
            };
            cookie?: never;
        };
        /**
         * Get a mapped task instance
         * @description Get one map index of a mapped task.
         */
        get: operations["get_mapped_task_instance"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Set the state and/or the note of one map index
         * @description `patch_task_instance` for the map index in the path. Servers before 3.0.2 routed this path
         *     to `patch_task_instance`, with the same effect.
         */
        patch: operations["patch_task_instance_by_map_index"];
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/dry_run": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The map index of a mapped task instance. */
                map_index: components["parameters"]["MapIndex"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Preview a state or note change of one map index
         * @description `patch_task_instance_dry_run` for the map index in the path.
         */
        patch: operations["patch_task_instance_dry_run_by_map_index"];
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/listMapped": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
            };
            cookie?: never;
        };
        /**
         * List mapped task instances
         * @description The map indexes (>= 0) of one mapped task, ordered by map_index unless `order_by` says
         *     otherwise. Takes the filters of `get_task_instances` except `cursor`, `task_id`,
         *     `task_group_id` and the DAG id, run id and task display name patterns.
         */
        get: operations["get_mapped_task_instances"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID, or `~` for all DAGs the user may read. */
                dag_id: components["parameters"]["DAGIDOrAll"];
                /** @description The DAG run ID, or `~` for all runs (of the DAG, or of all DAGs). */
                dag_run_id: components["parameters"]["DAGRunIDOrAll"];
            };
            cookie?: never;
        };
        /**
         * List task instances
         * @description `~` as `dag_id` and/or `dag_run_id` lists across all DAGs and/or runs (a real run id with
         *     `~` as the DAG id is refused with 400).
         *
         *     Two ways to page:
         *     - offset (default): `limit` and `offset`; `total_entries` is the exact count. The server
         *       caps `limit` at `[api] maximum_page_limit` (100 by default); `limit=0` answers an empty
         *       page, not the default.
         *     - cursor (from 3.2.2): send `cursor` empty for the first page, then each `next_cursor`;
         *       `offset` is then ignored, `total_entries` is capped at `total_entries_limit`, and
         *       `next_cursor` is null on the last page.
         *
         *     The primary key is always appended to `order_by` as a tie-breaker, so pages neither overlap
         *     nor skip while rows do not change.
         */
        get: operations["get_task_instances"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/dags/~/dagRuns/~/taskInstances/list": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * List task instances (batch)
         * @description Lists task instances from all DAGs and runs, with the filters in the body, so long lists of
         *     ids do not hit URL length limits. It reads only. Both path segments must be `~`; a real
         *     DAG id there is refused with 422 `literal_error`. `page_limit` is not capped by
         *     `[api] maximum_page_limit` here. The answer has `total_entries` and null cursors.
         */
        post: operations["get_task_instances_batch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/clearTaskInstances": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Clear task instances
         * @description Clears (re-runs) the task instances the body selects. **`dry_run` defaults to true** and
         *     `only_failed` to true, so `{}` changes nothing and lists the failed task instances of the
         *     DAG. Answers the task instances, in full: with their current state on a dry run, with
         *     `state: null` right after a real clear. An unknown `dag_run_id` answers 404.
         */
        post: operations["post_clear_task_instances"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
            };
            cookie?: never;
        };
        /**
         * List the tries of a task instance
         * @description Every try, the current one included, oldest first.
         */
        get: operations["get_task_instance_tries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/tries": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The map index of a mapped task instance. */
                map_index: components["parameters"]["MapIndex"];
            };
            cookie?: never;
        };
        /**
         * List the tries of a mapped task instance
         * @description `get_task_instance_tries` for the map index in the path.
         */
        get: operations["get_mapped_task_instance_tries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries/{task_try_number}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The try number. */
                task_try_number: components["parameters"]["TaskTryNumber"];
            };
            cookie?: never;
        };
        /**
         * Get one try of a task instance
         * @description The current try is answered too, from the task instance itself.
         */
        get: operations["get_task_instance_try_details"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/tries/{task_try_number}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The map index of a mapped task instance. */
                map_index: components["parameters"]["MapIndex"];
                /** @description The try number. */
                task_try_number: components["parameters"]["TaskTryNumber"];
            };
            cookie?: never;
        };
        /**
         * Get one try of a mapped task instance
         * @description `get_task_instance_try_details` for the map index in the path.
         */
        get: operations["get_mapped_task_instance_try_details"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/dependencies": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
            };
            cookie?: never;
        };
        /**
         * List what keeps a task instance from running
         * @description The scheduler's dependency checks that fail now; empty when none blocks it.
         */
        get: operations["get_task_instance_dependencies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/dependencies": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The map index of a mapped task instance. */
                map_index: components["parameters"]["MapIndex"];
            };
            cookie?: never;
        };
        /**
         * List what keeps a mapped task instance from running
         * @description `get_task_instance_dependencies` for the map index in the path.
         */
        get: operations["get_task_instance_dependencies_by_map_index"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{try_number}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The try number (v1 called this parameter `task_try_number`). */
                try_number: components["parameters"]["LogTryNumber"];
            };
            cookie?: never;
        };
        /**
         * Get logs
         * @description The log of one try as structured records. With `Accept: application/json` (or `*\/*`, or no
         *     Accept header) the answer is `TaskInstancesLogResponse`; with `application/x-ndjson` it is
         *     a stream of one record per line and the token comes in the `Airflow-Continuation-Token`
         *     response header, but that stream restarts from the first record whatever token is sent,
         *     so only JSON mode can tail a log. `Accept: text/plain` answers 406.
         *
         *     While the try runs, `continuation_token` is a string: send it back as `token` to get only
         *     the records written since. It is null once the end of the log is reached. Its payload
         *     (signed, readable) holds `end_of_log` and `log_pos`. A wrong try number, or a mapped task
         *     without `map_index`, answers 404 "TaskInstance not found".
         */
        get: operations["get_log"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/links": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
            };
            cookie?: never;
        };
        /**
         * List extra links
         * @description The operator's extra links for the task instance: link name to URL, null when the URL
         *     cannot be computed. Airflow also files this operation under its "Extra Links" tag.
         */
        get: operations["get_extra_links"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description FastAPI's error body. `detail` is usually a string; it is an object for some server errors
         *     (a 500 from the database layer sends `{reason, statement, orig_error, message}`).
         */
        HTTPExceptionResponse: {
            detail: string | {
                [key: string]: unknown;
            };
        };
        /** @description FastAPI's 422 body for a request that fails validation. */
        HTTPValidationError: {
            detail: components["schemas"]["ValidationError"][];
        };
        ValidationError: {
            /** @description Where the error is, e.g. `["body", "new_state"]` or `["query", "start_date_gte"]`. */
            loc: (string | number)[];
            msg: string;
            /** @description The pydantic error type, e.g. `extra_forbidden`, `literal_error`, `value_error`. */
            type: string;
            /** @description The value that was refused. */
            input?: unknown;
            ctx?: {
                [key: string]: unknown;
            };
        };
        /** @description A 404 body: `{"detail": ...}` from a route, or `{"error": ...}` when no route matches. */
        NotFoundError: components["schemas"]["HTTPExceptionResponse"] | components["schemas"]["RouteNotFoundResponse"];
        /** @description A 422 body: the list of validation errors, or a plain string detail from route code. */
        ValidationFailure: components["schemas"]["HTTPValidationError"] | components["schemas"]["HTTPExceptionResponse"];
        /** @description What Airflow 3 answers for a URL that matches no route (key `error`, not `detail`). */
        RouteNotFoundResponse: {
            error: string;
        };
        LoginBody: {
            username: string;
            password: string;
        };
        LoginResponse: {
            /** @description A JWT (HS512 when `[api_auth] jwt_secret` is set); its `exp` claim says when it ends. */
            access_token: string;
        };
        VersionInfo: {
            /** @description The Airflow version, e.g. "3.3.2". */
            version: string;
            git_version: string | null;
        };
        /**
         * @description The state of a task instance; null when it has none yet (v1's "none" spelling is gone).
         *     `awaiting_input` (human-in-the-loop) appears in Airflow's spec from 3.3.0.
         * @enum {string|null}
         */
        TaskInstanceState: null | "removed" | "scheduled" | "queued" | "running" | "success" | "restarting" | "failed" | "up_for_retry" | "up_for_reschedule" | "upstream_failed" | "skipped" | "deferred" | "awaiting_input";
        /**
         * @description A state to filter on; `none` and `no_status` select task instances without a state.
         * @enum {string}
         */
        TaskInstanceStateFilter: "removed" | "scheduled" | "queued" | "running" | "success" | "restarting" | "failed" | "up_for_retry" | "up_for_reschedule" | "upstream_failed" | "skipped" | "deferred" | "awaiting_input" | "none" | "no_status";
        /**
         * @description The states a PATCH may set. Airflow declares the whole TaskInstanceState (or null) here,
         *     but the server refuses anything else with 422, an explicit null included. It accepts
         *     these in any letter case.
         * @enum {string}
         */
        PatchTaskInstanceState: "success" | "failed" | "skipped";
        /**
         * @description A sort key of the GET lists; `-` in front sorts descending.
         * @enum {string}
         */
        TaskInstanceOrderBy: "id" | "-id" | "state" | "-state" | "duration" | "-duration" | "start_date" | "-start_date" | "end_date" | "-end_date" | "map_index" | "-map_index" | "try_number" | "-try_number" | "logical_date" | "-logical_date" | "run_after" | "-run_after" | "data_interval_start" | "-data_interval_start" | "data_interval_end" | "-data_interval_end" | "rendered_map_index" | "-rendered_map_index" | "operator" | "-operator";
        /**
         * @description The one sort key of the batch list; `-` in front sorts descending. Any other answers 400.
         * @enum {string|null}
         */
        TaskInstanceBatchOrderBy: null | "id" | "-id" | "state" | "-state" | "duration" | "-duration" | "start_date" | "-start_date" | "end_date" | "-end_date" | "map_index" | "-map_index";
        /** @description The trigger of a deferred task instance. */
        TriggerResponse: {
            id: number;
            classpath: string;
            /**
             * @deprecated
             * @description The string form of the trigger's arguments.
             */
            kwargs: string;
            /** Format: date-time */
            created_date: string;
            queue?: string | null;
            triggerer_id: number | null;
        } | null;
        /** @description The triggerer job that runs the task instance's trigger. */
        JobResponse: {
            id: number;
            dag_id: string | null;
            state: string | null;
            job_type: string | null;
            /** Format: date-time */
            start_date: string | null;
            /** Format: date-time */
            end_date: string | null;
            /** Format: date-time */
            latest_heartbeat: string | null;
            executor_class: string | null;
            hostname: string | null;
            unixname: string | null;
            dag_display_name?: string | null;
        } | null;
        /** @description The version of the DAG the task instance ran (or will run) with. */
        DagVersionResponse: {
            /** Format: uuid */
            id: string;
            version_number: number;
            dag_id: string;
            bundle_name: string | null;
            bundle_version: string | null;
            /** Format: date-time */
            created_at: string;
            dag_display_name?: string;
            bundle_url: string | null;
        } | null;
        /**
         * @description A task instance. Every field is sent, null where it has no value; `map_index` is -1 for an
         *     unmapped instance. Date-times end in `Z`; `duration` is in seconds, rounded to milliseconds.
         *     Compared with v1: `execution_date` and `sla_miss` are gone; `id`, `logical_date`,
         *     `run_after`, `dag_display_name`, `operator_name`, `scheduled_when` and `dag_version` are new.
         */
        TaskInstanceResponse: {
            /**
             * Format: uuid
             * @description The task instance's own id (a UUIDv7), new in v2.
             */
            id: string;
            task_id: string;
            dag_id: string;
            dag_run_id: string;
            map_index: number;
            /**
             * Format: date-time
             * @description The run's logical date (v1's `execution_date`). **Null for runs created without one**,
             *     which is the default for manual runs in Airflow 3; use `run_after` to place those in time.
             */
            logical_date: string | null;
            /**
             * Format: date-time
             * @description When the run was due to start; set for every run.
             */
            run_after: string;
            /** Format: date-time */
            start_date: string | null;
            /** Format: date-time */
            end_date: string | null;
            duration: number | null;
            state: components["schemas"]["TaskInstanceState"];
            try_number: number;
            max_tries: number;
            task_display_name: string;
            dag_display_name?: string;
            hostname: string | null;
            unixname: string | null;
            pool: string;
            pool_slots: number;
            queue: string | null;
            priority_weight: number | null;
            /** @description The operator class name, e.g. `_PythonDecoratedOperator`. */
            operator: string | null;
            /** @description The name shown for the operator, e.g. `@task` or `TriggerDagRunOperator`. */
            operator_name?: string | null;
            /** Format: date-time */
            queued_when: string | null;
            /** Format: date-time */
            scheduled_when: string | null;
            pid: number | null;
            executor: string | null;
            /** @description The string form of a Python dict, not JSON (e.g. "{}"). */
            executor_config: string;
            note: string | null;
            rendered_map_index: string | null;
            /** @description The rendered template fields; `{}` when there are none. Airflow's spec marks it optional, but it is always sent. */
            rendered_fields: {
                [key: string]: unknown;
            };
            trigger: components["schemas"]["TriggerResponse"];
            triggerer_job: components["schemas"]["JobResponse"];
            dag_version: components["schemas"]["DagVersionResponse"];
        };
        /**
         * @description A page of task instances; also the answer of every PATCH, dry run and clear. The server
         *     always sends all five keys (3.3.2); the cursor keys are null in offset mode.
         */
        TaskInstanceCollectionResponse: {
            task_instances: components["schemas"]["TaskInstanceResponse"][];
            /**
             * @description Count of all matches, before limit and offset; in cursor mode capped at
             *     `total_entries_limit`. Airflow's spec allows null, but these operations always send a number.
             */
            total_entries: number;
            /** @description The cap on `total_entries` in cursor mode; null in offset mode. */
            total_entries_limit?: number | null;
            /** @description The cursor of the next page; null in offset mode and on the last page. */
            next_cursor?: string | null;
            /** @description The cursor of the previous page; null in offset mode and on the first page. */
            previous_cursor?: string | null;
        };
        /**
         * @description One try of a task instance: the fields of TaskInstanceResponse without `id`, `logical_date`,
         *     `run_after`, `note`, `rendered_map_index`, `rendered_fields`, `trigger` and `triggerer_job`.
         */
        TaskInstanceHistoryResponse: {
            task_id: string;
            dag_id: string;
            dag_run_id: string;
            map_index: number;
            /** Format: date-time */
            start_date: string | null;
            /** Format: date-time */
            end_date: string | null;
            duration: number | null;
            state: components["schemas"]["TaskInstanceState"];
            try_number: number;
            max_tries: number;
            task_display_name: string;
            dag_display_name?: string;
            hostname: string | null;
            unixname: string | null;
            pool: string;
            pool_slots: number;
            queue: string | null;
            priority_weight: number | null;
            operator: string | null;
            operator_name?: string | null;
            /** Format: date-time */
            queued_when: string | null;
            /** Format: date-time */
            scheduled_when: string | null;
            pid: number | null;
            executor: string | null;
            executor_config: string;
            dag_version: components["schemas"]["DagVersionResponse"];
        };
        TaskInstanceHistoryCollectionResponse: {
            task_instances: components["schemas"]["TaskInstanceHistoryResponse"][];
            total_entries: number;
        };
        /**
         * @description What to change. Only the fields present are applied. There is no `dry_run` field: use the
         *     `/dry_run` endpoints.
         */
        PatchTaskInstanceBody: {
            new_state?: components["schemas"]["PatchTaskInstanceState"];
            /** @description The note to set; `""` removes it, null leaves it as it is. */
            note?: string | null;
            /** @default false */
            include_upstream?: boolean;
            /** @default false */
            include_downstream?: boolean;
            /** @default false */
            include_future?: boolean;
            /** @default false */
            include_past?: boolean;
        };
        /**
         * @description The filters of the batch list. The server answers 422 `extra_forbidden` to any field it
         *     does not know (`map_index` included). Fields set to null are the same as left out.
         */
        TaskInstancesBatchBody: {
            dag_ids?: string[] | null;
            dag_run_ids?: string[] | null;
            task_ids?: string[] | null;
            /** @description Any of these states; null in the list selects task instances without a state. */
            state?: components["schemas"]["TaskInstanceState"][] | null;
            /** Format: date-time */
            run_after_gte?: string | null;
            /** Format: date-time */
            run_after_gt?: string | null;
            /** Format: date-time */
            run_after_lte?: string | null;
            /** Format: date-time */
            run_after_lt?: string | null;
            /** Format: date-time */
            logical_date_gte?: string | null;
            /** Format: date-time */
            logical_date_gt?: string | null;
            /** Format: date-time */
            logical_date_lte?: string | null;
            /** Format: date-time */
            logical_date_lt?: string | null;
            /** Format: date-time */
            start_date_gte?: string | null;
            /** Format: date-time */
            start_date_gt?: string | null;
            /** Format: date-time */
            start_date_lte?: string | null;
            /** Format: date-time */
            start_date_lt?: string | null;
            /** Format: date-time */
            end_date_gte?: string | null;
            /** Format: date-time */
            end_date_gt?: string | null;
            /** Format: date-time */
            end_date_lte?: string | null;
            /** Format: date-time */
            end_date_lt?: string | null;
            duration_gte?: number | null;
            duration_gt?: number | null;
            duration_lte?: number | null;
            duration_lt?: number | null;
            pool?: string[] | null;
            queue?: string[] | null;
            executor?: string[] | null;
            /** @default 0 */
            page_offset?: number;
            /**
             * @description Not capped by `[api] maximum_page_limit`.
             * @default 100
             */
            page_limit?: number;
            order_by?: components["schemas"]["TaskInstanceBatchOrderBy"];
        };
        /**
         * @description Which task instances to clear. v1's `include_subdags`, `include_parentdag` and
         *     `execution_date` are gone (422 `extra_forbidden`).
         */
        ClearTaskInstancesBody: {
            /**
             * @description Defaults to true, so a body without it changes nothing.
             * @default true
             */
            dry_run?: boolean;
            /**
             * Format: date-time
             * @description Compared with the run's logical date, so runs without one never match.
             */
            start_date?: string | null;
            /**
             * Format: date-time
             * @description Compared with the run's logical date, so runs without one never match.
             */
            end_date?: string | null;
            /** @default true */
            only_failed?: boolean;
            /** @default false */
            only_running?: boolean;
            /** @default true */
            reset_dag_runs?: boolean;
            /**
             * @description Task ids, or `[task_id, map_index]` pairs for single map indexes. A plain task id of a
             *     mapped task selects every map index.
             */
            task_ids?: (string | (string | number)[])[] | null;
            dag_run_id?: string | null;
            /** @default false */
            include_upstream?: boolean;
            /** @default false */
            include_downstream?: boolean;
            /** @default false */
            include_future?: boolean;
            /** @default false */
            include_past?: boolean;
            /** @description Experimental. Run the cleared task instances on the DAG's latest bundle version. */
            run_on_latest_version?: boolean | null;
            /** @default false */
            prevent_running_task?: boolean;
            note?: string | null;
        };
        /**
         * @description One log record. Only `event` is always there: the first records (the "Log message source
         *     details" group) carry nothing else. Records may carry any further keys (`task_id`, `ti_id`,
         *     `dag_id`, `run_id`, `map_index`, `try_number`, ...). A multi-line message is one record with
         *     `\n` inside `event`; `print()` output comes with logger `task.stdout`.
         */
        StructuredLogMessage: {
            /**
             * Format: date-time
             * @description Left out (JSON) or null (NDJSON) on the records that have none, such as the source
             *     details group.
             */
            timestamp?: string | null;
            event: string;
            /** @description Lower case, e.g. "info", "warning", "error". */
            level?: string;
            logger?: string;
            filename?: string;
            lineno?: number;
            /** @description On the "Task failed with exception" record, the exception chain (no formatted traceback). */
            error_detail?: components["schemas"]["LogErrorDetail"][];
        } & {
            [key: string]: unknown;
        };
        /** @description One exception of a failed task's exception chain. */
        LogErrorDetail: {
            exc_type?: string;
            exc_value?: string;
            exc_notes?: string[];
            syntax_error?: {
                [key: string]: unknown;
            } | null;
            is_cause?: boolean;
            frames?: ({
                filename?: string;
                lineno?: number;
                name?: string;
            } & {
                [key: string]: unknown;
            })[];
            is_group?: boolean;
            exceptions?: {
                [key: string]: unknown;
            }[];
        } & {
            [key: string]: unknown;
        };
        /**
         * @description The JSON log answer. `content` is a list of structured records; it is a list of plain
         *     lines only when the server could not parse the log.
         */
        TaskInstancesLogResponse: {
            content: components["schemas"]["StructuredLogMessage"][] | string[];
            /** @description Send it back as `token` for what follows; null once the end of the log is reached. */
            continuation_token: string | null;
        };
        ExtraLinkCollectionResponse: {
            /** @description Link name to URL, null when the URL cannot be computed. */
            extra_links: {
                [key: string]: string | null;
            };
            total_entries: number;
        };
        TaskDependencyCollectionResponse: {
            dependencies: components["schemas"]["TaskDependencyResponse"][];
        };
        TaskDependencyResponse: {
            name: string;
            reason: string;
        };
    };
    responses: {
        /**
         * @description The server refused an argument, e.g. an `order_by` it does not allow or a log token it did
         *     not sign.
         */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["HTTPExceptionResponse"];
            };
        };
        /**
         * @description No token, Basic auth, or an expired token (`{"detail":"Not authenticated"}`,
         *     `{"detail":"Token Expired"}`). Sent without a WWW-Authenticate header.
         */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["HTTPExceptionResponse"];
            };
        };
        /**
         * @description The user may not do this, or the token is not one the server signed
         *     (`{"detail":"Invalid JWT token"}` is a 403, not a 401).
         */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["HTTPExceptionResponse"];
            };
        };
        /**
         * @description A DAG, run, task instance or try that does not exist: `{"detail": "..."}`. A URL that
         *     matches no route at all answers `{"error": "API route not found"}` instead (and any
         *     `/api/v1` URL on Airflow 3 answers `{"error": "/api/v1 has been removed ..."}`).
         */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["NotFoundError"];
            };
        };
        /** @description The task instance already has the state asked for. */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["HTTPExceptionResponse"];
            };
        };
        /** @description An Accept header other than JSON or NDJSON. */
        NotAcceptable: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["HTTPExceptionResponse"];
            };
        };
        /**
         * @description A parameter or body field that does not validate: usually a list of errors
         *     (`HTTPValidationError`), but route code sends a plain string detail too (e.g. an unknown
         *     `state` filter value).
         */
        ValidationFailed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ValidationFailure"];
            };
        };
    };
    parameters: {
        /** @description The DAG ID. */
        DAGID: string;
        /** @description The DAG run ID. */
        DAGRunID: string;
        /** @description The DAG ID, or `~` for all DAGs the user may read. */
        DAGIDOrAll: string;
        /** @description The DAG run ID, or `~` for all runs (of the DAG, or of all DAGs). */
        DAGRunIDOrAll: string;
        /** @description The task ID. */
        TaskID: string;
        /** @description The map index of a mapped task instance. */
        MapIndex: number;
        /** @description The try number. */
        TaskTryNumber: number;
        /** @description The try number (v1 called this parameter `task_try_number`). */
        LogTryNumber: number;
        /** @description The map index; -1 (the default) is the unmapped task instance. */
        QueryMapIndex: number;
        /**
         * @description The map index to change. Left out, every task instance of the task is changed, all map
         *     indexes of a mapped task included.
         */
        PatchMapIndex: number;
        /**
         * @description Body fields to apply (repeat the key); the others are ignored. Left out, every field present
         *     in the body is applied.
         */
        UpdateMask: string[];
        /** @description The try whose links to compute; left out, the current try. An unknown try answers 404. */
        LinksTryNumber: number;
        /** @description Read the whole log at once instead of the first part. */
        FullContent: boolean;
        /**
         * @description The `continuation_token` of the previous answer: only the records after it are sent. A
         *     token the server did not sign answers 400 "Bad Signature".
         */
        ContinuationToken: string;
        /**
         * @description The Accept header (spelled `accept`, as Airflow's spec and client name it): `application/json`
         *     (what `*\/*` also gets) or `application/x-ndjson`. Anything else, text/plain included, answers 406.
         */
        LogAccept: "application/json" | "application/x-ndjson" | "*/*";
        /**
         * @description The number of items to return, capped at `[api] maximum_page_limit` (100 by default).
         *     0 answers an empty page.
         */
        PageLimit: number;
        /** @description The number of items to skip. Ignored in cursor mode. */
        PageOffset: number;
        /**
         * @description Keyset paging: empty for the first page, then the `next_cursor` (or `previous_cursor`) of
         *     the previous answer. When present, `offset` is ignored.
         */
        Cursor: string;
        /**
         * @description Sort keys, at most 10 (repeat the key); `-` in front sorts descending. Any other name,
         *     `task_id` included, answers 400. Unmapped task instances have map_index -1, so the default
         *     puts them first.
         */
        OrderBy: components["schemas"]["TaskInstanceOrderBy"][];
        /** @description Only this task ID (exact match). */
        FilterTaskID: string;
        /** @description Only the tasks in this task group (exact group ID). An unknown group answers 404. */
        FilterTaskGroupID: string;
        /** @description Run's run_after >= this. Date-times need an offset or `Z`: a naive one answers 500. */
        RunAfterGTE: string;
        /** @description Run's run_after > this. */
        RunAfterGT: string;
        /** @description Run's run_after <= this. */
        RunAfterLTE: string;
        /** @description Run's run_after < this. */
        RunAfterLT: string;
        /** @description Run's logical date >= this. Runs without a logical date (manual runs) never match. */
        LogicalDateGTE: string;
        /** @description Run's logical date > this. */
        LogicalDateGT: string;
        /** @description Run's logical date <= this. */
        LogicalDateLTE: string;
        /** @description Run's logical date < this. */
        LogicalDateLT: string;
        /** @description start_date >= this. */
        StartDateGTE: string;
        /** @description start_date > this. */
        StartDateGT: string;
        /** @description start_date <= this. */
        StartDateLTE: string;
        /** @description start_date < this. */
        StartDateLT: string;
        /** @description end_date >= this. */
        EndDateGTE: string;
        /** @description end_date > this. */
        EndDateGT: string;
        /** @description end_date <= this. */
        EndDateLTE: string;
        /** @description end_date < this. */
        EndDateLT: string;
        /** @description updated_at >= this. */
        UpdatedAtGTE: string;
        /** @description updated_at > this. */
        UpdatedAtGT: string;
        /** @description updated_at <= this. */
        UpdatedAtLTE: string;
        /** @description updated_at < this. */
        UpdatedAtLT: string;
        /** @description duration (seconds) >= this. */
        DurationGTE: number;
        /** @description duration (seconds) > this. */
        DurationGT: number;
        /** @description duration (seconds) <= this. */
        DurationLTE: number;
        /** @description duration (seconds) < this. */
        DurationLT: number;
        /**
         * @description Any of these states (repeat the key). `none` and `no_status` both select task instances
         *     without a state. Any other value answers 422 "Invalid value for state".
         */
        FilterState: components["schemas"]["TaskInstanceStateFilter"][];
        /** @description Any of these pools (repeat the key). */
        FilterPool: string[];
        /** @description Any of these queues (repeat the key). */
        FilterQueue: string[];
        /** @description Any of these executors (repeat the key). */
        FilterExecutor: string[];
        /** @description Any of these DAG version numbers (repeat the key). */
        FilterVersionNumber: number[];
        /** @description Any of these try numbers (repeat the key). */
        FilterTryNumber: number[];
        /** @description Any of these operator class names (repeat the key), e.g. `_PythonDecoratedOperator`. */
        FilterOperator: string[];
        /** @description Any of these map indexes (repeat the key); -1 is an unmapped task instance. */
        FilterMapIndex: number[];
        /**
         * @description Case-insensitive substring match on the task display name (SQL ILIKE, `%` and `_` are
         *     wildcards). `|` separates alternatives; `~` matches everything. No regular expressions.
         */
        TaskDisplayNamePattern: string;
        /**
         * @description Case-sensitive prefix match on the task display name, which can use an index. `%` and `_`
         *     are literal; trailing non-alphanumeric characters are dropped. `|` separates alternatives.
         */
        TaskDisplayNamePrefixPattern: string;
        /** @description Case-insensitive substring match on the DAG ID (as `task_display_name_pattern`). */
        DagIDPattern: string;
        /** @description Case-sensitive prefix match on the DAG ID (as `task_display_name_prefix_pattern`). */
        DagIDPrefixPattern: string;
        /** @description Case-insensitive substring match on the run ID. */
        RunIDPattern: string;
        /** @description Case-sensitive prefix match on the run ID. */
        RunIDPrefixPattern: string;
        /** @description Case-insensitive substring match on the pool name. */
        PoolNamePattern: string;
        /** @description Case-sensitive prefix match on the pool name. */
        PoolNamePrefixPattern: string;
        /** @description Case-insensitive substring match on the queue name. */
        QueueNamePattern: string;
        /** @description Case-sensitive prefix match on the queue name. */
        QueueNamePrefixPattern: string;
        /** @description Case-insensitive substring match on the operator name. */
        OperatorNamePattern: string;
        /** @description Case-sensitive prefix match on the operator name. */
        OperatorNamePrefixPattern: string;
        /** @description Case-insensitive substring match on the rendered map index. */
        RenderedMapIndexPattern: string;
        /** @description Case-sensitive prefix match on the rendered map index. */
        RenderedMapIndexPrefixPattern: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    create_token: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginBody"];
                "application/x-www-form-urlencoded": components["schemas"]["LoginBody"];
            };
        };
        responses: {
            /** @description The token was issued. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LoginResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description Wrong user name or password (`{"detail":"Invalid credentials"}`). */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPExceptionResponse"];
                };
            };
            /** @description The body is neither JSON nor form-encoded. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPExceptionResponse"];
                };
            };
            422: components["responses"]["ValidationFailed"];
        };
    };
    get_version: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["VersionInfo"];
                };
            };
        };
    };
    get_task_instance: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    patch_task_instance: {
        parameters: {
            query?: {
                /**
                 * @description The map index to change. Left out, every task instance of the task is changed, all map
                 *     indexes of a mapped task included.
                 */
                map_index?: components["parameters"]["PatchMapIndex"];
                /**
                 * @description Body fields to apply (repeat the key); the others are ignored. Left out, every field present
                 *     in the body is applied.
                 */
                update_mask?: components["parameters"]["UpdateMask"];
            };
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchTaskInstanceBody"];
            };
        };
        responses: {
            /** @description The task instances that were changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceCollectionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    patch_task_instance_dry_run: {
        parameters: {
            query?: {
                /**
                 * @description The map index to change. Left out, every task instance of the task is changed, all map
                 *     indexes of a mapped task included.
                 */
                map_index?: components["parameters"]["PatchMapIndex"];
                /**
                 * @description Body fields to apply (repeat the key); the others are ignored. Left out, every field present
                 *     in the body is applied.
                 */
                update_mask?: components["parameters"]["UpdateMask"];
            };
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchTaskInstanceBody"];
            };
        };
        responses: {
            /** @description The task instances that would change, as they are now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceCollectionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    get_mapped_task_instance: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The map index of a mapped task instance. */
                map_index: components["parameters"]["MapIndex"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    patch_task_instance_by_map_index: {
        parameters: {
            query?: {
                /**
                 * @description Body fields to apply (repeat the key); the others are ignored. Left out, every field present
                 *     in the body is applied.
                 */
                update_mask?: components["parameters"]["UpdateMask"];
            };
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The map index of a mapped task instance. */
                map_index: components["parameters"]["MapIndex"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchTaskInstanceBody"];
            };
        };
        responses: {
            /** @description The task instances that were changed. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceCollectionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    patch_task_instance_dry_run_by_map_index: {
        parameters: {
            query?: {
                /**
                 * @description Body fields to apply (repeat the key); the others are ignored. Left out, every field present
                 *     in the body is applied.
                 */
                update_mask?: components["parameters"]["UpdateMask"];
            };
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The map index of a mapped task instance. */
                map_index: components["parameters"]["MapIndex"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PatchTaskInstanceBody"];
            };
        };
        responses: {
            /** @description The task instances that would change, as they are now. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceCollectionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    get_mapped_task_instances: {
        parameters: {
            query?: {
                /** @description Run's run_after >= this. Date-times need an offset or `Z`: a naive one answers 500. */
                run_after_gte?: components["parameters"]["RunAfterGTE"];
                /** @description Run's run_after > this. */
                run_after_gt?: components["parameters"]["RunAfterGT"];
                /** @description Run's run_after <= this. */
                run_after_lte?: components["parameters"]["RunAfterLTE"];
                /** @description Run's run_after < this. */
                run_after_lt?: components["parameters"]["RunAfterLT"];
                /** @description Run's logical date >= this. Runs without a logical date (manual runs) never match. */
                logical_date_gte?: components["parameters"]["LogicalDateGTE"];
                /** @description Run's logical date > this. */
                logical_date_gt?: components["parameters"]["LogicalDateGT"];
                /** @description Run's logical date <= this. */
                logical_date_lte?: components["parameters"]["LogicalDateLTE"];
                /** @description Run's logical date < this. */
                logical_date_lt?: components["parameters"]["LogicalDateLT"];
                /** @description start_date >= this. */
                start_date_gte?: components["parameters"]["StartDateGTE"];
                /** @description start_date > this. */
                start_date_gt?: components["parameters"]["StartDateGT"];
                /** @description start_date <= this. */
                start_date_lte?: components["parameters"]["StartDateLTE"];
                /** @description start_date < this. */
                start_date_lt?: components["parameters"]["StartDateLT"];
                /** @description end_date >= this. */
                end_date_gte?: components["parameters"]["EndDateGTE"];
                /** @description end_date > this. */
                end_date_gt?: components["parameters"]["EndDateGT"];
                /** @description end_date <= this. */
                end_date_lte?: components["parameters"]["EndDateLTE"];
                /** @description end_date < this. */
                end_date_lt?: components["parameters"]["EndDateLT"];
                /** @description updated_at >= this. */
                updated_at_gte?: components["parameters"]["UpdatedAtGTE"];
                /** @description updated_at > this. */
                updated_at_gt?: components["parameters"]["UpdatedAtGT"];
                /** @description updated_at <= this. */
                updated_at_lte?: components["parameters"]["UpdatedAtLTE"];
                /** @description updated_at < this. */
                updated_at_lt?: components["parameters"]["UpdatedAtLT"];
                /** @description duration (seconds) >= this. */
                duration_gte?: components["parameters"]["DurationGTE"];
                /** @description duration (seconds) > this. */
                duration_gt?: components["parameters"]["DurationGT"];
                /** @description duration (seconds) <= this. */
                duration_lte?: components["parameters"]["DurationLTE"];
                /** @description duration (seconds) < this. */
                duration_lt?: components["parameters"]["DurationLT"];
                /**
                 * @description Any of these states (repeat the key). `none` and `no_status` both select task instances
                 *     without a state. Any other value answers 422 "Invalid value for state".
                 */
                state?: components["parameters"]["FilterState"];
                /** @description Any of these pools (repeat the key). */
                pool?: components["parameters"]["FilterPool"];
                /** @description Case-insensitive substring match on the pool name. */
                pool_name_pattern?: components["parameters"]["PoolNamePattern"];
                /** @description Case-sensitive prefix match on the pool name. */
                pool_name_prefix_pattern?: components["parameters"]["PoolNamePrefixPattern"];
                /** @description Any of these queues (repeat the key). */
                queue?: components["parameters"]["FilterQueue"];
                /** @description Case-insensitive substring match on the queue name. */
                queue_name_pattern?: components["parameters"]["QueueNamePattern"];
                /** @description Case-sensitive prefix match on the queue name. */
                queue_name_prefix_pattern?: components["parameters"]["QueueNamePrefixPattern"];
                /** @description Any of these executors (repeat the key). */
                executor?: components["parameters"]["FilterExecutor"];
                /** @description Any of these DAG version numbers (repeat the key). */
                version_number?: components["parameters"]["FilterVersionNumber"];
                /** @description Any of these try numbers (repeat the key). */
                try_number?: components["parameters"]["FilterTryNumber"];
                /** @description Any of these operator class names (repeat the key), e.g. `_PythonDecoratedOperator`. */
                operator?: components["parameters"]["FilterOperator"];
                /** @description Case-insensitive substring match on the operator name. */
                operator_name_pattern?: components["parameters"]["OperatorNamePattern"];
                /** @description Case-sensitive prefix match on the operator name. */
                operator_name_prefix_pattern?: components["parameters"]["OperatorNamePrefixPattern"];
                /** @description Any of these map indexes (repeat the key); -1 is an unmapped task instance. */
                map_index?: components["parameters"]["FilterMapIndex"];
                /** @description Case-insensitive substring match on the rendered map index. */
                rendered_map_index_pattern?: components["parameters"]["RenderedMapIndexPattern"];
                /** @description Case-sensitive prefix match on the rendered map index. */
                rendered_map_index_prefix_pattern?: components["parameters"]["RenderedMapIndexPrefixPattern"];
                /**
                 * @description The number of items to return, capped at `[api] maximum_page_limit` (100 by default).
                 *     0 answers an empty page.
                 */
                limit?: components["parameters"]["PageLimit"];
                /** @description The number of items to skip. Ignored in cursor mode. */
                offset?: components["parameters"]["PageOffset"];
                /**
                 * @description Sort keys, at most 10 (repeat the key); `-` in front sorts descending. Any other name,
                 *     `task_id` included, answers 400. Unmapped task instances have map_index -1, so the default
                 *     puts them first.
                 */
                order_by?: components["parameters"]["OrderBy"];
            };
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceCollectionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    get_task_instances: {
        parameters: {
            query?: {
                /**
                 * @description Keyset paging: empty for the first page, then the `next_cursor` (or `previous_cursor`) of
                 *     the previous answer. When present, `offset` is ignored.
                 */
                cursor?: components["parameters"]["Cursor"];
                /** @description Only this task ID (exact match). */
                task_id?: components["parameters"]["FilterTaskID"];
                /** @description Run's run_after >= this. Date-times need an offset or `Z`: a naive one answers 500. */
                run_after_gte?: components["parameters"]["RunAfterGTE"];
                /** @description Run's run_after > this. */
                run_after_gt?: components["parameters"]["RunAfterGT"];
                /** @description Run's run_after <= this. */
                run_after_lte?: components["parameters"]["RunAfterLTE"];
                /** @description Run's run_after < this. */
                run_after_lt?: components["parameters"]["RunAfterLT"];
                /** @description Run's logical date >= this. Runs without a logical date (manual runs) never match. */
                logical_date_gte?: components["parameters"]["LogicalDateGTE"];
                /** @description Run's logical date > this. */
                logical_date_gt?: components["parameters"]["LogicalDateGT"];
                /** @description Run's logical date <= this. */
                logical_date_lte?: components["parameters"]["LogicalDateLTE"];
                /** @description Run's logical date < this. */
                logical_date_lt?: components["parameters"]["LogicalDateLT"];
                /** @description start_date >= this. */
                start_date_gte?: components["parameters"]["StartDateGTE"];
                /** @description start_date > this. */
                start_date_gt?: components["parameters"]["StartDateGT"];
                /** @description start_date <= this. */
                start_date_lte?: components["parameters"]["StartDateLTE"];
                /** @description start_date < this. */
                start_date_lt?: components["parameters"]["StartDateLT"];
                /** @description end_date >= this. */
                end_date_gte?: components["parameters"]["EndDateGTE"];
                /** @description end_date > this. */
                end_date_gt?: components["parameters"]["EndDateGT"];
                /** @description end_date <= this. */
                end_date_lte?: components["parameters"]["EndDateLTE"];
                /** @description end_date < this. */
                end_date_lt?: components["parameters"]["EndDateLT"];
                /** @description updated_at >= this. */
                updated_at_gte?: components["parameters"]["UpdatedAtGTE"];
                /** @description updated_at > this. */
                updated_at_gt?: components["parameters"]["UpdatedAtGT"];
                /** @description updated_at <= this. */
                updated_at_lte?: components["parameters"]["UpdatedAtLTE"];
                /** @description updated_at < this. */
                updated_at_lt?: components["parameters"]["UpdatedAtLT"];
                /** @description duration (seconds) >= this. */
                duration_gte?: components["parameters"]["DurationGTE"];
                /** @description duration (seconds) > this. */
                duration_gt?: components["parameters"]["DurationGT"];
                /** @description duration (seconds) <= this. */
                duration_lte?: components["parameters"]["DurationLTE"];
                /** @description duration (seconds) < this. */
                duration_lt?: components["parameters"]["DurationLT"];
                /**
                 * @description Case-insensitive substring match on the task display name (SQL ILIKE, `%` and `_` are
                 *     wildcards). `|` separates alternatives; `~` matches everything. No regular expressions.
                 */
                task_display_name_pattern?: components["parameters"]["TaskDisplayNamePattern"];
                /**
                 * @description Case-sensitive prefix match on the task display name, which can use an index. `%` and `_`
                 *     are literal; trailing non-alphanumeric characters are dropped. `|` separates alternatives.
                 */
                task_display_name_prefix_pattern?: components["parameters"]["TaskDisplayNamePrefixPattern"];
                /** @description Only the tasks in this task group (exact group ID). An unknown group answers 404. */
                task_group_id?: components["parameters"]["FilterTaskGroupID"];
                /** @description Case-insensitive substring match on the DAG ID (as `task_display_name_pattern`). */
                dag_id_pattern?: components["parameters"]["DagIDPattern"];
                /** @description Case-sensitive prefix match on the DAG ID (as `task_display_name_prefix_pattern`). */
                dag_id_prefix_pattern?: components["parameters"]["DagIDPrefixPattern"];
                /** @description Case-insensitive substring match on the run ID. */
                run_id_pattern?: components["parameters"]["RunIDPattern"];
                /** @description Case-sensitive prefix match on the run ID. */
                run_id_prefix_pattern?: components["parameters"]["RunIDPrefixPattern"];
                /**
                 * @description Any of these states (repeat the key). `none` and `no_status` both select task instances
                 *     without a state. Any other value answers 422 "Invalid value for state".
                 */
                state?: components["parameters"]["FilterState"];
                /** @description Any of these pools (repeat the key). */
                pool?: components["parameters"]["FilterPool"];
                /** @description Case-insensitive substring match on the pool name. */
                pool_name_pattern?: components["parameters"]["PoolNamePattern"];
                /** @description Case-sensitive prefix match on the pool name. */
                pool_name_prefix_pattern?: components["parameters"]["PoolNamePrefixPattern"];
                /** @description Any of these queues (repeat the key). */
                queue?: components["parameters"]["FilterQueue"];
                /** @description Case-insensitive substring match on the queue name. */
                queue_name_pattern?: components["parameters"]["QueueNamePattern"];
                /** @description Case-sensitive prefix match on the queue name. */
                queue_name_prefix_pattern?: components["parameters"]["QueueNamePrefixPattern"];
                /** @description Any of these executors (repeat the key). */
                executor?: components["parameters"]["FilterExecutor"];
                /** @description Any of these DAG version numbers (repeat the key). */
                version_number?: components["parameters"]["FilterVersionNumber"];
                /** @description Any of these try numbers (repeat the key). */
                try_number?: components["parameters"]["FilterTryNumber"];
                /** @description Any of these operator class names (repeat the key), e.g. `_PythonDecoratedOperator`. */
                operator?: components["parameters"]["FilterOperator"];
                /** @description Case-insensitive substring match on the operator name. */
                operator_name_pattern?: components["parameters"]["OperatorNamePattern"];
                /** @description Case-sensitive prefix match on the operator name. */
                operator_name_prefix_pattern?: components["parameters"]["OperatorNamePrefixPattern"];
                /** @description Any of these map indexes (repeat the key); -1 is an unmapped task instance. */
                map_index?: components["parameters"]["FilterMapIndex"];
                /** @description Case-insensitive substring match on the rendered map index. */
                rendered_map_index_pattern?: components["parameters"]["RenderedMapIndexPattern"];
                /** @description Case-sensitive prefix match on the rendered map index. */
                rendered_map_index_prefix_pattern?: components["parameters"]["RenderedMapIndexPrefixPattern"];
                /**
                 * @description The number of items to return, capped at `[api] maximum_page_limit` (100 by default).
                 *     0 answers an empty page.
                 */
                limit?: components["parameters"]["PageLimit"];
                /** @description The number of items to skip. Ignored in cursor mode. */
                offset?: components["parameters"]["PageOffset"];
                /**
                 * @description Sort keys, at most 10 (repeat the key); `-` in front sorts descending. Any other name,
                 *     `task_id` included, answers 400. Unmapped task instances have map_index -1, so the default
                 *     puts them first.
                 */
                order_by?: components["parameters"]["OrderBy"];
            };
            header?: never;
            path: {
                /** @description The DAG ID, or `~` for all DAGs the user may read. */
                dag_id: components["parameters"]["DAGIDOrAll"];
                /** @description The DAG run ID, or `~` for all runs (of the DAG, or of all DAGs). */
                dag_run_id: components["parameters"]["DAGRunIDOrAll"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceCollectionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    get_task_instances_batch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TaskInstancesBatchBody"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceCollectionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    post_clear_task_instances: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ClearTaskInstancesBody"];
            };
        };
        responses: {
            /** @description The task instances cleared, or that a dry run would clear. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceCollectionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    get_task_instance_tries: {
        parameters: {
            query?: {
                /** @description The map index; -1 (the default) is the unmapped task instance. */
                map_index?: components["parameters"]["QueryMapIndex"];
            };
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceHistoryCollectionResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    get_mapped_task_instance_tries: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The map index of a mapped task instance. */
                map_index: components["parameters"]["MapIndex"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceHistoryCollectionResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    get_task_instance_try_details: {
        parameters: {
            query?: {
                /** @description The map index; -1 (the default) is the unmapped task instance. */
                map_index?: components["parameters"]["QueryMapIndex"];
            };
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The try number. */
                task_try_number: components["parameters"]["TaskTryNumber"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceHistoryResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    get_mapped_task_instance_try_details: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The map index of a mapped task instance. */
                map_index: components["parameters"]["MapIndex"];
                /** @description The try number. */
                task_try_number: components["parameters"]["TaskTryNumber"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceHistoryResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    get_task_instance_dependencies: {
        parameters: {
            query?: {
                /** @description The map index; -1 (the default) is the unmapped task instance. */
                map_index?: components["parameters"]["QueryMapIndex"];
            };
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskDependencyCollectionResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    get_task_instance_dependencies_by_map_index: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The map index of a mapped task instance. */
                map_index: components["parameters"]["MapIndex"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskDependencyCollectionResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    get_log: {
        parameters: {
            query?: {
                /** @description Read the whole log at once instead of the first part. */
                full_content?: components["parameters"]["FullContent"];
                /** @description The map index; -1 (the default) is the unmapped task instance. */
                map_index?: components["parameters"]["QueryMapIndex"];
                /**
                 * @description The `continuation_token` of the previous answer: only the records after it are sent. A
                 *     token the server did not sign answers 400 "Bad Signature".
                 */
                token?: components["parameters"]["ContinuationToken"];
            };
            header?: {
                /**
                 * @description The Accept header (spelled `accept`, as Airflow's spec and client name it): `application/json`
                 *     (what `*\/*` also gets) or `application/x-ndjson`. Anything else, text/plain included, answers 406.
                 */
                accept?: components["parameters"]["LogAccept"];
            };
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The try number (v1 called this parameter `task_try_number`). */
                try_number: components["parameters"]["LogTryNumber"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Content of logs. */
            200: {
                headers: {
                    /** @description NDJSON answers only, and only before the end of the log. */
                    "Airflow-Continuation-Token"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstancesLogResponse"];
                    "application/x-ndjson": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            406: components["responses"]["NotAcceptable"];
            422: components["responses"]["ValidationFailed"];
        };
    };
    get_extra_links: {
        parameters: {
            query?: {
                /** @description The map index; -1 (the default) is the unmapped task instance. */
                map_index?: components["parameters"]["QueryMapIndex"];
                /** @description The try whose links to compute; left out, the current try. An unknown try answers 404. */
                try_number?: components["parameters"]["LinksTryNumber"];
            };
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExtraLinkCollectionResponse"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["ValidationFailed"];
        };
    };
}
