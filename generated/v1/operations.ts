/**
 * GENERATED FILE - DO NOT EDIT.
 * Written by `make generate` from openapi/v1.yaml. Fix the spec and regenerate instead.
 */
/** Method, path and version-gated query parameters of every operation in the spec. */
export const operationTable = {
  "get_version": {
    "method": "GET",
    "path": "/version",
    "querySince": {}
  },
  "get_task_instance": {
    "method": "GET",
    "path": "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}",
    "querySince": {}
  },
  "patch_task_instance": {
    "method": "PATCH",
    "path": "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}",
    "querySince": {}
  },
  "get_mapped_task_instance": {
    "method": "GET",
    "path": "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}",
    "querySince": {}
  },
  "patch_mapped_task_instance": {
    "method": "PATCH",
    "path": "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}",
    "querySince": {}
  },
  "get_mapped_task_instances": {
    "method": "GET",
    "path": "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/listMapped",
    "querySince": {
      "updated_at_gte": "2.6.0",
      "updated_at_lte": "2.6.0",
      "executor": "2.10.0",
      "order_by": "2.3.0"
    }
  },
  "get_task_instances": {
    "method": "GET",
    "path": "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances",
    "querySince": {
      "updated_at_gte": "2.6.0",
      "updated_at_lte": "2.6.0",
      "executor": "2.10.0"
    }
  },
  "get_task_instances_batch": {
    "method": "POST",
    "path": "/dags/~/dagRuns/~/taskInstances/list",
    "querySince": {}
  },
  "set_task_instance_note": {
    "method": "PATCH",
    "path": "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/setNote",
    "querySince": {}
  },
  "set_mapped_task_instance_note": {
    "method": "PATCH",
    "path": "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/setNote",
    "querySince": {}
  },
  "get_extra_links": {
    "method": "GET",
    "path": "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/links",
    "querySince": {
      "map_index": "2.10.5"
    }
  },
  "get_log": {
    "method": "GET",
    "path": "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{task_try_number}",
    "querySince": {}
  },
  "post_clear_task_instances": {
    "method": "POST",
    "path": "/dags/{dag_id}/clearTaskInstances",
    "querySince": {}
  },
  "get_task_instance_dependencies": {
    "method": "GET",
    "path": "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/dependencies",
    "querySince": {}
  },
  "get_mapped_task_instance_dependencies": {
    "method": "GET",
    "path": "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/dependencies",
    "querySince": {}
  },
  "get_task_instance_tries": {
    "method": "GET",
    "path": "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries",
    "querySince": {}
  },
  "get_mapped_task_instance_tries": {
    "method": "GET",
    "path": "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/tries",
    "querySince": {}
  }
} as const;

/** Operation ids, as the upstream client names them. */
export type OperationId = keyof typeof operationTable;

/** The Airflow version that added each field of the batch list body. */
export const listFormFieldSince = {
  "page_offset": "2.10.3",
  "page_limit": "2.10.3",
  "dag_run_ids": "2.7.1",
  "task_ids": "2.7.1",
  "executor": "2.10.0"
} as const;

/** The Airflow version that added each TaskInstance field. */
export const taskInstanceFieldSince = {
  "task_display_name": "2.9.0",
  "dag_run_id": "2.3.0",
  "rendered_map_index": "2.9.0",
  "executor": "2.10.0",
  "rendered_fields": "2.3.0",
  "note": "2.5.0"
} as const;

/** The name of every query parameter each operation takes, so a caller can refuse the others. */
export const operationQueryParams = {
  "get_version": [],
  "get_task_instance": [],
  "patch_task_instance": [],
  "get_mapped_task_instance": [],
  "patch_mapped_task_instance": [],
  "get_mapped_task_instances": [
    "limit",
    "offset",
    "execution_date_gte",
    "execution_date_lte",
    "start_date_gte",
    "start_date_lte",
    "end_date_gte",
    "end_date_lte",
    "updated_at_gte",
    "updated_at_lte",
    "duration_gte",
    "duration_lte",
    "state",
    "pool",
    "queue",
    "executor",
    "order_by"
  ],
  "get_task_instances": [
    "execution_date_gte",
    "execution_date_lte",
    "start_date_gte",
    "start_date_lte",
    "end_date_gte",
    "end_date_lte",
    "updated_at_gte",
    "updated_at_lte",
    "duration_gte",
    "duration_lte",
    "state",
    "pool",
    "queue",
    "executor",
    "limit",
    "offset"
  ],
  "get_task_instances_batch": [],
  "set_task_instance_note": [],
  "set_mapped_task_instance_note": [],
  "get_extra_links": [
    "map_index"
  ],
  "get_log": [
    "full_content",
    "map_index",
    "token"
  ],
  "post_clear_task_instances": [],
  "get_task_instance_dependencies": [],
  "get_mapped_task_instance_dependencies": [],
  "get_task_instance_tries": [
    "limit",
    "offset"
  ],
  "get_mapped_task_instance_tries": [
    "limit",
    "offset"
  ]
} as const;

/** The query parameter names of one operation. */
export type QueryParamName<Op extends OperationId> = (typeof operationQueryParams)[Op][number];
