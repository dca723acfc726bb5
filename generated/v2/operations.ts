/**
 * GENERATED FILE - DO NOT EDIT.
 * Written by `make generate` from openapi/v2.yaml. Fix the spec and regenerate instead.
 */
/** Method, path and version-gated query parameters of every operation in the spec. */
export const operationTable = {
  "create_token": {
    "method": "POST",
    "path": "/auth/token",
    "querySince": {}
  },
  "get_version": {
    "method": "GET",
    "path": "/api/v2/version",
    "querySince": {}
  },
  "get_task_instance": {
    "method": "GET",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}",
    "querySince": {}
  },
  "patch_task_instance": {
    "method": "PATCH",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}",
    "querySince": {
      "map_index": "3.0.2"
    }
  },
  "patch_task_instance_dry_run": {
    "method": "PATCH",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/dry_run",
    "querySince": {
      "map_index": "3.0.2"
    }
  },
  "get_mapped_task_instance": {
    "method": "GET",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}",
    "querySince": {}
  },
  "patch_task_instance_by_map_index": {
    "method": "PATCH",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}",
    "querySince": {}
  },
  "patch_task_instance_dry_run_by_map_index": {
    "method": "PATCH",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/dry_run",
    "querySince": {}
  },
  "get_mapped_task_instances": {
    "method": "GET",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/listMapped",
    "querySince": {
      "run_after_gt": "3.1.0",
      "run_after_lt": "3.1.0",
      "logical_date_gt": "3.1.0",
      "logical_date_lt": "3.1.0",
      "start_date_gt": "3.1.0",
      "start_date_lt": "3.1.0",
      "end_date_gt": "3.1.0",
      "end_date_lt": "3.1.0",
      "updated_at_gt": "3.1.0",
      "updated_at_lt": "3.1.0",
      "duration_gt": "3.1.0",
      "duration_lt": "3.1.0",
      "pool_name_pattern": "3.2.0",
      "pool_name_prefix_pattern": "3.2.2",
      "queue_name_pattern": "3.2.0",
      "queue_name_prefix_pattern": "3.2.2",
      "try_number": "3.1.0",
      "operator": "3.1.0",
      "operator_name_pattern": "3.2.0",
      "operator_name_prefix_pattern": "3.2.2",
      "map_index": "3.1.0",
      "rendered_map_index_pattern": "3.2.2",
      "rendered_map_index_prefix_pattern": "3.2.2"
    }
  },
  "get_task_instances": {
    "method": "GET",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances",
    "querySince": {
      "cursor": "3.2.2",
      "run_after_gt": "3.1.0",
      "run_after_lt": "3.1.0",
      "logical_date_gt": "3.1.0",
      "logical_date_lt": "3.1.0",
      "start_date_gt": "3.1.0",
      "start_date_lt": "3.1.0",
      "end_date_gt": "3.1.0",
      "end_date_lt": "3.1.0",
      "updated_at_gt": "3.1.0",
      "updated_at_lt": "3.1.0",
      "duration_gt": "3.1.0",
      "duration_lt": "3.1.0",
      "task_display_name_prefix_pattern": "3.2.2",
      "task_group_id": "3.1.6",
      "dag_id_pattern": "3.2.0",
      "dag_id_prefix_pattern": "3.2.2",
      "run_id_pattern": "3.2.0",
      "run_id_prefix_pattern": "3.2.2",
      "pool_name_pattern": "3.2.0",
      "pool_name_prefix_pattern": "3.2.2",
      "queue_name_pattern": "3.2.0",
      "queue_name_prefix_pattern": "3.2.2",
      "try_number": "3.1.0",
      "operator": "3.1.0",
      "operator_name_pattern": "3.2.0",
      "operator_name_prefix_pattern": "3.2.2",
      "map_index": "3.1.0",
      "rendered_map_index_pattern": "3.2.2",
      "rendered_map_index_prefix_pattern": "3.2.2"
    }
  },
  "get_task_instances_batch": {
    "method": "POST",
    "path": "/api/v2/dags/~/dagRuns/~/taskInstances/list",
    "querySince": {}
  },
  "post_clear_task_instances": {
    "method": "POST",
    "path": "/api/v2/dags/{dag_id}/clearTaskInstances",
    "querySince": {}
  },
  "get_task_instance_tries": {
    "method": "GET",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries",
    "querySince": {}
  },
  "get_mapped_task_instance_tries": {
    "method": "GET",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/tries",
    "querySince": {}
  },
  "get_task_instance_try_details": {
    "method": "GET",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/tries/{task_try_number}",
    "querySince": {}
  },
  "get_mapped_task_instance_try_details": {
    "method": "GET",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/tries/{task_try_number}",
    "querySince": {}
  },
  "get_task_instance_dependencies": {
    "method": "GET",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/dependencies",
    "querySince": {}
  },
  "get_task_instance_dependencies_by_map_index": {
    "method": "GET",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/{map_index}/dependencies",
    "querySince": {}
  },
  "get_log": {
    "method": "GET",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{try_number}",
    "querySince": {}
  },
  "get_extra_links": {
    "method": "GET",
    "path": "/api/v2/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/links",
    "querySince": {
      "try_number": "3.2.2"
    }
  }
} as const;

/** Operation ids, as the upstream client names them. */
export type OperationId = keyof typeof operationTable;

/** The Airflow version that added each field of the batch list body (TaskInstancesBatchBody). */
export const listFormFieldSince = {
  "run_after_gt": "3.1.0",
  "run_after_lt": "3.1.0",
  "logical_date_gt": "3.1.0",
  "logical_date_lt": "3.1.0",
  "start_date_gt": "3.1.0",
  "start_date_lt": "3.1.0",
  "end_date_gt": "3.1.0",
  "end_date_lt": "3.1.0",
  "duration_gt": "3.1.0",
  "duration_lt": "3.1.0"
} as const;

/** The Airflow version that added each TaskInstanceResponse field (older servers leave it out). */
export const taskInstanceFieldSince = {
  "dag_display_name": "3.1.0",
  "operator_name": "3.1.0"
} as const;

/** The Airflow version that added each field of the clear body (older servers answer 422 to it). */
export const clearBodyFieldSince = {
  "run_on_latest_version": "3.1.0",
  "prevent_running_task": "3.2.0",
  "note": "3.3.0"
} as const;

/** The Airflow version that added each operation that is not in every release of the line. */
export const operationSince = {
  "patch_task_instance_by_map_index": "3.0.2",
  "patch_task_instance_dry_run_by_map_index": "3.0.2",
  "get_task_instance_dependencies_by_map_index": "3.0.2"
} as const;

/** The name of every query parameter each operation takes, so a caller can refuse the others. */
export const operationQueryParams = {
  "create_token": [],
  "get_version": [],
  "get_task_instance": [],
  "patch_task_instance": [
    "map_index",
    "update_mask"
  ],
  "patch_task_instance_dry_run": [
    "map_index",
    "update_mask"
  ],
  "get_mapped_task_instance": [],
  "patch_task_instance_by_map_index": [
    "update_mask"
  ],
  "patch_task_instance_dry_run_by_map_index": [
    "update_mask"
  ],
  "get_mapped_task_instances": [
    "run_after_gte",
    "run_after_gt",
    "run_after_lte",
    "run_after_lt",
    "logical_date_gte",
    "logical_date_gt",
    "logical_date_lte",
    "logical_date_lt",
    "start_date_gte",
    "start_date_gt",
    "start_date_lte",
    "start_date_lt",
    "end_date_gte",
    "end_date_gt",
    "end_date_lte",
    "end_date_lt",
    "updated_at_gte",
    "updated_at_gt",
    "updated_at_lte",
    "updated_at_lt",
    "duration_gte",
    "duration_gt",
    "duration_lte",
    "duration_lt",
    "state",
    "pool",
    "pool_name_pattern",
    "pool_name_prefix_pattern",
    "queue",
    "queue_name_pattern",
    "queue_name_prefix_pattern",
    "executor",
    "version_number",
    "try_number",
    "operator",
    "operator_name_pattern",
    "operator_name_prefix_pattern",
    "map_index",
    "rendered_map_index_pattern",
    "rendered_map_index_prefix_pattern",
    "limit",
    "offset",
    "order_by"
  ],
  "get_task_instances": [
    "cursor",
    "task_id",
    "run_after_gte",
    "run_after_gt",
    "run_after_lte",
    "run_after_lt",
    "logical_date_gte",
    "logical_date_gt",
    "logical_date_lte",
    "logical_date_lt",
    "start_date_gte",
    "start_date_gt",
    "start_date_lte",
    "start_date_lt",
    "end_date_gte",
    "end_date_gt",
    "end_date_lte",
    "end_date_lt",
    "updated_at_gte",
    "updated_at_gt",
    "updated_at_lte",
    "updated_at_lt",
    "duration_gte",
    "duration_gt",
    "duration_lte",
    "duration_lt",
    "task_display_name_pattern",
    "task_display_name_prefix_pattern",
    "task_group_id",
    "dag_id_pattern",
    "dag_id_prefix_pattern",
    "run_id_pattern",
    "run_id_prefix_pattern",
    "state",
    "pool",
    "pool_name_pattern",
    "pool_name_prefix_pattern",
    "queue",
    "queue_name_pattern",
    "queue_name_prefix_pattern",
    "executor",
    "version_number",
    "try_number",
    "operator",
    "operator_name_pattern",
    "operator_name_prefix_pattern",
    "map_index",
    "rendered_map_index_pattern",
    "rendered_map_index_prefix_pattern",
    "limit",
    "offset",
    "order_by"
  ],
  "get_task_instances_batch": [],
  "post_clear_task_instances": [],
  "get_task_instance_tries": [
    "map_index"
  ],
  "get_mapped_task_instance_tries": [],
  "get_task_instance_try_details": [
    "map_index"
  ],
  "get_mapped_task_instance_try_details": [],
  "get_task_instance_dependencies": [
    "map_index"
  ],
  "get_task_instance_dependencies_by_map_index": [],
  "get_log": [
    "full_content",
    "map_index",
    "token"
  ],
  "get_extra_links": [
    "map_index",
    "try_number"
  ]
} as const;

/** The query parameter names of one operation. */
export type QueryParamName<Op extends OperationId> = (typeof operationQueryParams)[Op][number];
