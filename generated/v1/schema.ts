/**
 * GENERATED FILE - DO NOT EDIT.
 * Written by `make generate` from openapi/v1.yaml. Fix the spec and regenerate instead.
 */
export interface paths {
    "/version": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Get version information
         * @description Not part of TaskInstanceApi; used to learn which parameters the server knows.
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
    "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}": {
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
         * Updates the state of a task instance
         * @description `dry_run` defaults to true: a body without it changes nothing and still answers 200.
         *     *New in version 2.5.0*
         */
        patch: operations["patch_task_instance"];
        trace?: never;
    };
    "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}": {
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
                /** @description The map index (>= 0). */
                map_index: components["parameters"]["MapIndex"];
            };
            cookie?: never;
        };
        /**
         * Get a mapped task instance
         * @description Get details of a mapped task instance. `map_index` must be >= 0; -1 does not route (404).
         *     *New in version 2.3.0*
         */
        get: operations["get_mapped_task_instance"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Updates the state of a mapped task instance
         * @description `dry_run` defaults to true. The upstream spec marks the body optional; the server still
         *     needs `new_state`. *New in version 2.5.0*
         */
        patch: operations["patch_mapped_task_instance"];
        trace?: never;
    };
    "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/listMapped": {
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
         * @description Get details of all mapped task instances (map_index >= 0), ordered by map_index unless
         *     `order_by` says otherwise. *New in version 2.3.0*
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
    "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The DAG ID, or `~` for all DAGs the user may read. */
                dag_id: components["parameters"]["DAGIDOrAll"];
                /** @description The DAG run ID, or `~` for all runs. */
                dag_run_id: components["parameters"]["DAGRunIDOrAll"];
            };
            cookie?: never;
        };
        /**
         * List task instances
         * @description `~` as `dag_id` or `dag_run_id` lists across all DAGs or runs. The 2.10.x and 2.11.x servers
         *     accept no `order_by` here (400 "Extra query parameter(s) order_by not in spec") and their
         *     query has no ORDER BY, so offset pages may overlap or skip if rows change while paging.
         *     `limit` is not capped by `[api] maximum_page_limit` on this endpoint.
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
    "/dags/~/dagRuns/~/taskInstances/list": {
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
         * @description List task instances from all DAGs and DAG runs. A POST so that long lists of DAG ids do not
         *     hit URL length limits. It reads only. `page_offset`/`page_limit` exist from 2.10.3; older
         *     servers return every match.
         */
        post: operations["get_task_instances_batch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/setNote": {
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
         * Update the TaskInstance note.
         * @description *New in version 2.5.0*
         */
        patch: operations["set_task_instance_note"];
        trace?: never;
    };
    "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/setNote": {
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
                /** @description The map index (>= 0). */
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
         * Update the TaskInstance note.
         * @description *New in version 2.5.0*
         */
        patch: operations["set_mapped_task_instance_note"];
        trace?: never;
    };
    "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/links": {
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
         * @description List extra links for task instance. The server answers a flat map of link name to URL
         *     (null when the link cannot be computed), not the documented `ExtraLinkCollection`.
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
    "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{task_try_number}": {
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
                /** @description The task try number. */
                task_try_number: components["parameters"]["TaskTryNumber"];
            };
            cookie?: never;
        };
        /**
         * Get logs
         * @description Get logs for a specific task instance and its try number. The server picks the body type
         *     from the `Accept` header and favours `text/plain` on a tie, so `Accept: *\/*` gets text.
         *     Only the JSON answer carries a continuation token; its signed payload holds `end_of_log`
         *     and `log_pos`. Send the token back to read only what was written since.
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
    "/dags/{dag_id}/clearTaskInstances": {
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
         * Clear a set of task instances
         * @description Clears the matching task instances so the scheduler runs them again. `dry_run` and
         *     `only_failed` default to true, so a body without them changes nothing; without
         *     `reset_dag_runs` a finished run stays finished and the cleared tasks are never run again.
         *     `task_ids` takes task ids only: a mapped task is cleared at every map index.
         */
        post: operations["post_clear_task_instances"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/dependencies": {
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
         * Why a task instance is not running
         * @description Reasons are given only for an instance without a state or scheduled; otherwise the list is empty.
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
    "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/dependencies": {
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
                /** @description The map index (>= 0). */
                map_index: components["parameters"]["MapIndex"];
            };
            cookie?: never;
        };
        /** Why a mapped task instance is not running */
        get: operations["get_mapped_task_instance_dependencies"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries": {
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
        /** Every try of a task instance, the current one included */
        get: operations["get_task_instance_tries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/tries": {
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
                /** @description The map index (>= 0). */
                map_index: components["parameters"]["MapIndex"];
            };
            cookie?: never;
        };
        /** Every try of a mapped task instance, the current one included */
        get: operations["get_mapped_task_instance_tries"];
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
        VersionInfo: {
            /** @description The Airflow version, e.g. "2.11.2". */
            version: string;
            git_version?: string | null;
        };
        /**
         * @description RFC 7807 problem details, sent as `application/problem+json` (upstream declares
         *     `application/json`). `detail` is null when the server has nothing to add, and `title` can
         *     be null too (upstream declares both non-null strings).
         */
        Error: {
            /** @description A URI that identifies the problem type. */
            type: string;
            /** @description Null on some 400s, e.g. "Extra query parameter(s) ... not in spec" (seen on 2.11.2). */
            title: string | null;
            status: number;
            detail: string | null;
            /** @description Sent only when set; the task-instance handlers never set it. */
            instance?: string;
        };
        /**
         * @description Task state. null when the task has no state yet; "none" is a deprecated spelling of that.
         * @enum {string|null}
         */
        TaskState: null | "success" | "running" | "failed" | "upstream_failed" | "skipped" | "up_for_retry" | "up_for_reschedule" | "queued" | "none" | "scheduled" | "deferred" | "removed" | "restarting";
        /**
         * @description A state to filter on; "none" selects instances that have no state.
         * @enum {string}
         */
        TaskStateFilter: "success" | "running" | "failed" | "upstream_failed" | "skipped" | "up_for_retry" | "up_for_reschedule" | "queued" | "none" | "scheduled" | "deferred" | "removed" | "restarting";
        /**
         * @description Expected new state. Only a subset of TaskState is available.
         * @enum {string}
         */
        UpdateTaskState: "success" | "failed" | "skipped";
        SLAMiss: {
            readonly task_id: string;
            dag_id: string;
            /** Format: date-time */
            execution_date: string;
            email_sent: boolean;
            /** Format: date-time */
            timestamp: string;
            description: string | null;
            notification_sent: boolean;
        } | null;
        Trigger: {
            id: number;
            classpath: string;
            kwargs: string;
            /** Format: date-time */
            created_date: string;
            triggerer_id: number | null;
        } | null;
        Job: {
            id: number;
            dag_id?: string | null;
            state?: string | null;
            job_type?: string | null;
            /** Format: date-time */
            start_date?: string | null;
            /** Format: date-time */
            end_date?: string | null;
            /** Format: date-time */
            latest_heartbeat?: string | null;
            executor_class?: string | null;
            hostname?: string | null;
            unixname?: string | null;
        } | null;
        /**
         * @description A task instance. Every field is sent, null where it has no value. `map_index` is -1 for
         *     an unmapped instance. Fields added after 2.5 are optional for older servers.
         */
        TaskInstance: {
            task_id: string;
            task_display_name?: string;
            dag_id: string;
            dag_run_id: string;
            /** Format: date-time */
            execution_date: string;
            /** Format: date-time */
            start_date: string | null;
            /** Format: date-time */
            end_date: string | null;
            duration: number | null;
            state: components["schemas"]["TaskState"];
            /** @description Fixed when the try is scheduled (2.10+); 0 for a task that never ran. */
            try_number: number;
            map_index: number;
            rendered_map_index?: string | null;
            max_tries: number;
            /** @description Empty when the task never ran. */
            hostname: string;
            unixname: string;
            pool: string;
            pool_slots: number;
            queue: string | null;
            priority_weight: number | null;
            operator: string | null;
            /** Format: date-time */
            queued_when: string | null;
            pid: number | null;
            executor?: string | null;
            /** @description The string form of a Python dict, not JSON. */
            executor_config: string;
            sla_miss: components["schemas"]["SLAMiss"];
            rendered_fields: {
                [key: string]: unknown;
            };
            trigger: components["schemas"]["Trigger"];
            triggerer_job: components["schemas"]["Job"];
            note: string | null;
        };
        TaskInstanceCollection: {
            task_instances: components["schemas"]["TaskInstance"][];
            /** @description Count of all matches, before limit and offset. */
            total_entries: number;
        };
        /** @description The server answers 400 to any field it does not know. */
        ClearTaskInstances: {
            /**
             * @description If true, nothing changes and the answer names what would. Defaults to true.
             * @default true
             */
            dry_run?: boolean;
            dag_run_id?: string | null;
            task_ids?: string[];
            /** Format: date-time */
            start_date?: string;
            /** Format: date-time */
            end_date?: string;
            /** @default true */
            only_failed?: boolean;
            /** @default false */
            only_running?: boolean;
            /** @default false */
            include_upstream?: boolean;
            /** @default false */
            include_downstream?: boolean;
            /** @default false */
            include_future?: boolean;
            /** @default false */
            include_past?: boolean;
            include_subdags?: boolean;
            include_parentdag?: boolean;
            /** @description Set the cleared tasks' runs back to queued, so a finished run runs them again. */
            reset_dag_runs?: boolean;
        };
        TaskInstanceReferenceCollection: {
            task_instances: components["schemas"]["TaskInstanceReference"][];
        };
        TaskInstanceDependencyCollection: {
            dependencies: {
                name: string;
                reason: string;
            }[];
        };
        /** @description One try; fewer fields than a TaskInstance (no execution_date, note, rendered fields or trigger). */
        TaskInstanceHistory: {
            task_id: string;
            task_display_name?: string;
            dag_id: string;
            dag_run_id: string;
            map_index: number;
            /** Format: date-time */
            start_date: string | null;
            /** Format: date-time */
            end_date: string | null;
            duration: number | null;
            state: components["schemas"]["TaskState"];
            try_number: number;
            max_tries: number;
            hostname: string;
            unixname: string;
            pool: string;
            pool_slots: number;
            queue: string | null;
            priority_weight: number | null;
            operator: string | null;
            /** Format: date-time */
            queued_when: string | null;
            pid: number | null;
            executor?: string | null;
            executor_config: string;
        };
        TaskInstanceHistoryCollection: {
            task_instances: components["schemas"]["TaskInstanceHistory"][];
            total_entries: number;
        };
        /**
         * @description Upstream declares all four fields. A dry run answers them for the current row; a real
         *     change may answer fewer, so read the task instance again to confirm.
         */
        TaskInstanceReference: {
            readonly task_id?: string;
            readonly dag_id?: string;
            /** Format: date-time */
            readonly execution_date?: string;
            readonly dag_run_id?: string;
        };
        UpdateTaskInstance: {
            /**
             * @description If true, nothing changes and the answer names what would. Defaults to true on the
             *     server, so a body without it is a no-op.
             * @default true
             */
            dry_run?: boolean;
            new_state: components["schemas"]["UpdateTaskState"];
        };
        SetTaskInstanceNote: {
            /** @description The custom note to set for this Task Instance. "" clears it; null is refused. */
            note: string;
        };
        /** @description The server answers 400 to any field it does not know. */
        ListTaskInstanceForm: {
            /** @description The number of items to skip. Ignored by servers before 2.10.3. */
            page_offset?: number;
            /**
             * @description The numbers of items to return. Ignored by servers before 2.10.3.
             * @default 100
             */
            page_limit?: number;
            /** @description Return objects with specific DAG IDs. */
            dag_ids?: string[];
            /** @description Return objects with specific DAG Run IDs. */
            dag_run_ids?: string[];
            /** @description Return objects with specific task IDs. */
            task_ids?: string[];
            /** Format: date-time */
            execution_date_gte?: string;
            /** Format: date-time */
            execution_date_lte?: string;
            /** Format: date-time */
            start_date_gte?: string;
            /** Format: date-time */
            start_date_lte?: string;
            /** Format: date-time */
            end_date_gte?: string;
            /** Format: date-time */
            end_date_lte?: string;
            duration_gte?: number;
            duration_lte?: number;
            state?: components["schemas"]["TaskState"][];
            pool?: string[];
            queue?: string[];
            executor?: string[];
        };
        /**
         * @description What the server sends for extra links: link name to URL, null when the URL cannot be
         *     computed. Upstream documents `ExtraLinkCollection` instead, which 2.x never sends.
         */
        ExtraLinkMap: {
            [key: string]: string | null;
        };
        /** @description The documented extra-links body. Kept for reference; 2.x servers send `ExtraLinkMap`. */
        ExtraLinkCollection: {
            extra_links?: components["schemas"]["ExtraLink"][];
        };
        ExtraLink: {
            class_ref?: components["schemas"]["ClassReference"];
            readonly name?: string;
            readonly href?: string;
        };
        ClassReference: {
            readonly module_path?: string;
            readonly class_name?: string;
        };
        /**
         * @description The JSON log body (named InlineResponse200/InlineResponse2001 in the seeds). `content` is the
         *     Python repr of a list of (host, text) tuples, not plain text. `continuation_token` is signed
         *     by the server; its readable payload holds `end_of_log` and `log_pos`.
         */
        LogChunk: {
            content: string;
            continuation_token: string;
        };
    };
    responses: {
        /** @description Client specified an invalid argument. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Error"];
            };
        };
        /** @description Request not authenticated due to missing, invalid, authentication info. */
        Unauthenticated: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Error"];
            };
        };
        /** @description Client does not have sufficient permission. */
        PermissionDenied: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Error"];
            };
        };
        /** @description A specified resource is not found. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Error"];
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
        /** @description The DAG run ID, or `~` for all runs. */
        DAGRunIDOrAll: string;
        /** @description The task ID. */
        TaskID: string;
        /** @description The map index (>= 0). */
        MapIndex: number;
        /** @description The task try number. */
        TaskTryNumber: number;
        /** @description The numbers of items to return. */
        PageLimit: number;
        /** @description The number of items to skip before starting to collect the result set. */
        PageOffset: number;
        /** @description Returns objects greater or equal to the specified date. */
        FilterExecutionDateGTE: string;
        /** @description Returns objects less than or equal to the specified date. */
        FilterExecutionDateLTE: string;
        /** @description Returns objects greater or equal the specified date. */
        FilterStartDateGTE: string;
        /** @description Returns objects less or equal the specified date. */
        FilterStartDateLTE: string;
        /** @description Returns objects greater or equal the specified date. */
        FilterEndDateGTE: string;
        /** @description Returns objects less than or equal to the specified date. */
        FilterEndDateLTE: string;
        /** @description Returns objects greater or equal the specified date. *New in version 2.6.0* */
        FilterUpdatedAtGTE: string;
        /** @description Returns objects less or equal the specified date. *New in version 2.6.0* */
        FilterUpdatedAtLTE: string;
        /** @description Returns objects greater than or equal to the specified values. */
        FilterDurationGTE: number;
        /** @description Returns objects less than or equal to the specified values. */
        FilterDurationLTE: number;
        /** @description The value can be repeated to retrieve multiple matching values (OR condition). */
        FilterState: components["schemas"]["TaskStateFilter"][];
        /** @description The value can be repeated to retrieve multiple matching values (OR condition). */
        FilterPool: string[];
        /** @description The value can be repeated to retrieve multiple matching values (OR condition). */
        FilterQueue: string[];
        /** @description The value can be repeated to retrieve multiple matching values (OR condition). */
        FilterExecutor: string[];
        /** @description Filter on map index for mapped task. */
        FilterMapIndex: number;
        /** @description Filter on map index for mapped task. */
        LinksMapIndex: number;
        /**
         * @description The name of the field to order the results by. Prefix a field name with `-` to reverse the
         *     sort order. Without it the order is map_index ascending. The server accepts only these
         *     values; even plain `map_index` is refused with 400 "Ordering with 'map_index' is not
         *     supported" (seen on 2.11.2), because it is the default. Ties sort by map_index ascending.
         */
        MappedOrderBy: "state" | "-state" | "duration" | "-duration" | "start_date" | "-start_date" | "end_date" | "-end_date" | "-map_index";
        /** @description A full content will be returned. By default, only the first fragment will be returned. */
        FullContent: boolean;
        /**
         * @description A token that allows you to continue fetching logs. If passed, it will specify the location
         *     from which the download should be continued.
         */
        ContinuationToken: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
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
            401: components["responses"]["Unauthenticated"];
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
                    "application/json": components["schemas"]["TaskInstance"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
        };
    };
    patch_task_instance: {
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
        /** @description Parameters of action */
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTaskInstance"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceReference"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
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
                /** @description The map index (>= 0). */
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
                    "application/json": components["schemas"]["TaskInstance"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
        };
    };
    patch_mapped_task_instance: {
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
                /** @description The map index (>= 0). */
                map_index: components["parameters"]["MapIndex"];
            };
            cookie?: never;
        };
        /** @description Parameters of action */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["UpdateTaskInstance"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceReference"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
        };
    };
    get_mapped_task_instances: {
        parameters: {
            query?: {
                /** @description The numbers of items to return. */
                limit?: components["parameters"]["PageLimit"];
                /** @description The number of items to skip before starting to collect the result set. */
                offset?: components["parameters"]["PageOffset"];
                /** @description Returns objects greater or equal to the specified date. */
                execution_date_gte?: components["parameters"]["FilterExecutionDateGTE"];
                /** @description Returns objects less than or equal to the specified date. */
                execution_date_lte?: components["parameters"]["FilterExecutionDateLTE"];
                /** @description Returns objects greater or equal the specified date. */
                start_date_gte?: components["parameters"]["FilterStartDateGTE"];
                /** @description Returns objects less or equal the specified date. */
                start_date_lte?: components["parameters"]["FilterStartDateLTE"];
                /** @description Returns objects greater or equal the specified date. */
                end_date_gte?: components["parameters"]["FilterEndDateGTE"];
                /** @description Returns objects less than or equal to the specified date. */
                end_date_lte?: components["parameters"]["FilterEndDateLTE"];
                /** @description Returns objects greater or equal the specified date. *New in version 2.6.0* */
                updated_at_gte?: components["parameters"]["FilterUpdatedAtGTE"];
                /** @description Returns objects less or equal the specified date. *New in version 2.6.0* */
                updated_at_lte?: components["parameters"]["FilterUpdatedAtLTE"];
                /** @description Returns objects greater than or equal to the specified values. */
                duration_gte?: components["parameters"]["FilterDurationGTE"];
                /** @description Returns objects less than or equal to the specified values. */
                duration_lte?: components["parameters"]["FilterDurationLTE"];
                /** @description The value can be repeated to retrieve multiple matching values (OR condition). */
                state?: components["parameters"]["FilterState"];
                /** @description The value can be repeated to retrieve multiple matching values (OR condition). */
                pool?: components["parameters"]["FilterPool"];
                /** @description The value can be repeated to retrieve multiple matching values (OR condition). */
                queue?: components["parameters"]["FilterQueue"];
                /** @description The value can be repeated to retrieve multiple matching values (OR condition). */
                executor?: components["parameters"]["FilterExecutor"];
                /**
                 * @description The name of the field to order the results by. Prefix a field name with `-` to reverse the
                 *     sort order. Without it the order is map_index ascending. The server accepts only these
                 *     values; even plain `map_index` is refused with 400 "Ordering with 'map_index' is not
                 *     supported" (seen on 2.11.2), because it is the default. Ties sort by map_index ascending.
                 */
                order_by?: components["parameters"]["MappedOrderBy"];
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
                    "application/json": components["schemas"]["TaskInstanceCollection"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
        };
    };
    get_task_instances: {
        parameters: {
            query?: {
                /** @description Returns objects greater or equal to the specified date. */
                execution_date_gte?: components["parameters"]["FilterExecutionDateGTE"];
                /** @description Returns objects less than or equal to the specified date. */
                execution_date_lte?: components["parameters"]["FilterExecutionDateLTE"];
                /** @description Returns objects greater or equal the specified date. */
                start_date_gte?: components["parameters"]["FilterStartDateGTE"];
                /** @description Returns objects less or equal the specified date. */
                start_date_lte?: components["parameters"]["FilterStartDateLTE"];
                /** @description Returns objects greater or equal the specified date. */
                end_date_gte?: components["parameters"]["FilterEndDateGTE"];
                /** @description Returns objects less than or equal to the specified date. */
                end_date_lte?: components["parameters"]["FilterEndDateLTE"];
                /** @description Returns objects greater or equal the specified date. *New in version 2.6.0* */
                updated_at_gte?: components["parameters"]["FilterUpdatedAtGTE"];
                /** @description Returns objects less or equal the specified date. *New in version 2.6.0* */
                updated_at_lte?: components["parameters"]["FilterUpdatedAtLTE"];
                /** @description Returns objects greater than or equal to the specified values. */
                duration_gte?: components["parameters"]["FilterDurationGTE"];
                /** @description Returns objects less than or equal to the specified values. */
                duration_lte?: components["parameters"]["FilterDurationLTE"];
                /** @description The value can be repeated to retrieve multiple matching values (OR condition). */
                state?: components["parameters"]["FilterState"];
                /** @description The value can be repeated to retrieve multiple matching values (OR condition). */
                pool?: components["parameters"]["FilterPool"];
                /** @description The value can be repeated to retrieve multiple matching values (OR condition). */
                queue?: components["parameters"]["FilterQueue"];
                /** @description The value can be repeated to retrieve multiple matching values (OR condition). */
                executor?: components["parameters"]["FilterExecutor"];
                /** @description The numbers of items to return. */
                limit?: components["parameters"]["PageLimit"];
                /** @description The number of items to skip before starting to collect the result set. */
                offset?: components["parameters"]["PageOffset"];
            };
            header?: never;
            path: {
                /** @description The DAG ID, or `~` for all DAGs the user may read. */
                dag_id: components["parameters"]["DAGIDOrAll"];
                /** @description The DAG run ID, or `~` for all runs. */
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
                    "application/json": components["schemas"]["TaskInstanceCollection"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
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
                "application/json": components["schemas"]["ListTaskInstanceForm"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceCollection"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
        };
    };
    set_task_instance_note: {
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
        /** @description Parameters of set Task Instance note. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetTaskInstanceNote"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstance"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
        };
    };
    set_mapped_task_instance_note: {
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
                /** @description The map index (>= 0). */
                map_index: components["parameters"]["MapIndex"];
            };
            cookie?: never;
        };
        /** @description Parameters of set Task Instance note. */
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetTaskInstanceNote"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstance"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
        };
    };
    get_extra_links: {
        parameters: {
            query?: {
                /** @description Filter on map index for mapped task. */
                map_index?: components["parameters"]["LinksMapIndex"];
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
                    "application/json": components["schemas"]["ExtraLinkMap"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
        };
    };
    get_log: {
        parameters: {
            query?: {
                /** @description A full content will be returned. By default, only the first fragment will be returned. */
                full_content?: components["parameters"]["FullContent"];
                /** @description Filter on map index for mapped task. */
                map_index?: components["parameters"]["FilterMapIndex"];
                /**
                 * @description A token that allows you to continue fetching logs. If passed, it will specify the location
                 *     from which the download should be continued.
                 */
                token?: components["parameters"]["ContinuationToken"];
            };
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The task try number. */
                task_try_number: components["parameters"]["TaskTryNumber"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Content of logs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LogChunk"];
                    "text/plain": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
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
                "application/json": components["schemas"]["ClearTaskInstances"];
            };
        };
        responses: {
            /** @description Success. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TaskInstanceReferenceCollection"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
        };
    };
    get_task_instance_dependencies: {
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
                    "application/json": components["schemas"]["TaskInstanceDependencyCollection"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
        };
    };
    get_mapped_task_instance_dependencies: {
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
                /** @description The map index (>= 0). */
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
                    "application/json": components["schemas"]["TaskInstanceDependencyCollection"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
        };
    };
    get_task_instance_tries: {
        parameters: {
            query?: {
                /** @description The numbers of items to return. */
                limit?: components["parameters"]["PageLimit"];
                /** @description The number of items to skip before starting to collect the result set. */
                offset?: components["parameters"]["PageOffset"];
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
                    "application/json": components["schemas"]["TaskInstanceHistoryCollection"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
        };
    };
    get_mapped_task_instance_tries: {
        parameters: {
            query?: {
                /** @description The numbers of items to return. */
                limit?: components["parameters"]["PageLimit"];
                /** @description The number of items to skip before starting to collect the result set. */
                offset?: components["parameters"]["PageOffset"];
            };
            header?: never;
            path: {
                /** @description The DAG ID. */
                dag_id: components["parameters"]["DAGID"];
                /** @description The DAG run ID. */
                dag_run_id: components["parameters"]["DAGRunID"];
                /** @description The task ID. */
                task_id: components["parameters"]["TaskID"];
                /** @description The map index (>= 0). */
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
                    "application/json": components["schemas"]["TaskInstanceHistoryCollection"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["PermissionDenied"];
            404: components["responses"]["NotFound"];
        };
    };
}
