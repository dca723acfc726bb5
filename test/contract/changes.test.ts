/**
 * Contract: changing task instances, on a scratch ati_many run of each backend (60 successful
 * EmptyOperator instances; the real servers' runs are deleted afterwards). PATCH state with v1's
 * dry_run default and v2's dry-run endpoint and 409, notes, and clear with its defaults. Same
 * assertions on the fake and on the real server of each line.
 */
import { forEachBackend, runPath, type Backend } from "./backends";

interface Run {
  dag_id: string;
  dag_run_id: string;
}

forEachBackend("changes", (use, line) => {
  let run: Run;
  let ti: (task: string) => string;
  const get = async (b: Backend, task: string) => (await b.call(ti(task))).body as { state: string | null; try_number: number; note: string | null; max_tries: number };

  beforeAll(async () => {
    run = await use().scratchRun();
    ti = (task) => `${runPath(run.dag_id, run.dag_run_id)}/taskInstances/${task}`;
  });

  if (line() === "v1") {
    test("v1 PATCH: without dry_run nothing changes (it defaults to true) and the answer is a reference", async () => {
      const b = use();
      const answer = await b.call(ti("t_00"), { method: "PATCH", body: { new_state: "failed" } });
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body).sort()).toEqual(["dag_id", "dag_run_id", "execution_date", "task_id"]);
      expect(answer.body).toMatchObject({ dag_id: run.dag_id, dag_run_id: run.dag_run_id, task_id: "t_00" });
      expect((await get(b, "t_00")).state).toBe("success");
    });

    test("v1 PATCH with dry_run false changes the state and answers {}", async () => {
      const b = use();
      const answer = await b.call(ti("t_01"), { method: "PATCH", body: { dry_run: false, new_state: "failed" } });
      expect([answer.status, answer.body]).toEqual([200, {}]);
      expect((await get(b, "t_01")).state).toBe("failed");
      // Setting the state it has is no error on v1.
      const again = await b.call(ti("t_01"), { method: "PATCH", body: { dry_run: false, new_state: "failed" } });
      expect(again.status).toBe(200);
    });

    test("v1 PATCH refuses an unknown field, another state, and names a missing task", async () => {
      const b = use();
      const unknown = await b.call(ti("t_02"), { method: "PATCH", body: { dryrun: false, new_state: "failed" } });
      expect([unknown.status, unknown.body.detail]).toEqual([400, "{'dryrun': ['Unknown field.']}"]);
      const running = await b.call(ti("t_02"), { method: "PATCH", body: { dry_run: false, new_state: "running" } });
      expect([running.status, running.body.detail]).toEqual([400, "'running' is not one of ['success', 'failed', 'skipped'] - 'new_state'"]);
      const missing = await b.call(ti("nope"), { method: "PATCH", body: { new_state: "failed" } });
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ title: "Task not found", detail: `Task 'nope' not found in DAG '${run.dag_id}'` });
    });

    test("v1 setNote answers the task instance with its note; null is refused", async () => {
      const b = use();
      const answer = await b.call(`${ti("t_03")}/setNote`, { method: "PATCH", body: { note: "from the contract suite" } });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ task_id: "t_03", note: "from the contract suite", state: "success" });
      expect((await get(b, "t_03")).note).toBe("from the contract suite");
      const nullNote = await b.call(`${ti("t_03")}/setNote`, { method: "PATCH", body: { note: null } });
      expect([nullNote.status, nullNote.body.detail]).toEqual([400, "None is not of type 'string' - 'note'"]);
    });
  } else {
    test("v2 PATCH .../dry_run answers what would change, unchanged; a dry_run field is a 422", async () => {
      const b = use();
      const dry = await b.call(`${ti("t_00")}/dry_run`, { method: "PATCH", body: { new_state: "failed" } });
      expect(dry.status).toBe(200);
      expect(dry.body.task_instances.map((t: { task_id: string; state: string }) => [t.task_id, t.state])).toEqual([["t_00", "success"]]);
      expect(dry.body).toMatchObject({ total_entries: 1, total_entries_limit: null, next_cursor: null, previous_cursor: null });
      expect((await get(b, "t_00")).state).toBe("success");
      const same = await b.call(`${ti("t_00")}/dry_run`, { method: "PATCH", body: { new_state: "success" } });
      expect(same.body.task_instances).toEqual([]);
      const field = await b.call(`${ti("t_00")}/dry_run`, { method: "PATCH", body: { new_state: "failed", dry_run: true } });
      expect(field.status).toBe(422);
      expect(field.body.detail).toEqual([{ type: "extra_forbidden", loc: ["body", "dry_run"], msg: "Extra inputs are not permitted", input: true }]);
    });

    test("v2 PATCH changes the state and answers the collection; the same state again is a 409", async () => {
      const b = use();
      const answer = await b.call(`${ti("t_01")}?map_index=-1`, { method: "PATCH", body: { new_state: "failed" } });
      expect(answer.status).toBe(200);
      expect(answer.body.task_instances.map((t: { task_id: string; state: string }) => [t.task_id, t.state])).toEqual([["t_01", "failed"]]);
      expect((await get(b, "t_01")).state).toBe("failed");
      const again = await b.call(`${ti("t_01")}?map_index=-1`, { method: "PATCH", body: { new_state: "failed" } });
      expect([again.status, again.body]).toEqual([409, { detail: "Task id t_01 is already in failed state" }]);
    });

    test("v2 PATCH refuses another state with a 422 and names a missing task", async () => {
      const b = use();
      const running = await b.call(ti("t_02"), { method: "PATCH", body: { new_state: "running" } });
      expect(running.status).toBe(422);
      expect(running.body.detail[0]).toMatchObject({ type: "value_error", loc: ["body", "new_state"], msg: "Value error, 'running' is not one of ['success', 'failed', 'skipped']" });
      const missing = await b.call(ti("nope"), { method: "PATCH", body: { new_state: "failed" } });
      expect([missing.status, missing.body]).toEqual([404, { detail: `Task 'nope' not found in Dag '${run.dag_id}'` }]);
    });

    test("v2 PATCH with only a note sets the note", async () => {
      const b = use();
      const answer = await b.call(`${ti("t_03")}?map_index=-1`, { method: "PATCH", body: { note: "from the contract suite" } });
      expect(answer.status).toBe(200);
      expect(answer.body.task_instances[0]).toMatchObject({ task_id: "t_03", note: "from the contract suite", state: "success" });
      expect((await get(b, "t_03")).note).toBe("from the contract suite");
    });
  }

  test("the public client: setState (a real change on both lines), setNote, and a dry run that changes nothing", async () => {
    const b = use();
    const airflow = b.client();
    const ref = { ...run, task_id: "t_10" };
    await airflow.taskInstances.setState(ref, "skipped", { dryRun: true });
    expect((await airflow.taskInstances.get(ref)).state).toBe("success");
    await airflow.taskInstances.setState(ref, "skipped");
    expect((await airflow.taskInstances.get(ref)).state).toBe("skipped");
    // The same state again: 200 on v1, a 409 on v2 that the client reads as "nothing to do".
    await airflow.taskInstances.setState(ref, "skipped");
    expect((await airflow.taskInstances.setNote(ref, "noted")).note).toBe("noted");
    expect((await airflow.taskInstances.get(ref)).note).toBe("noted");
  });

  test("clear: dry_run defaults to true, and only_failed to true", async () => {
    const b = use();
    const clear = `/dags/${run.dag_id}/clearTaskInstances`;
    const dry = await b.call(clear, { body: { dag_run_id: run.dag_run_id, task_ids: ["t_20"], only_failed: false } });
    expect(dry.status).toBe(200);
    expect(dry.body.task_instances.map((t: { task_id: string }) => t.task_id)).toEqual(["t_20"]);
    expect(await get(b, "t_20")).toMatchObject({ state: "success", try_number: 1 });
    const onlyFailed = await b.call(clear, { body: { dag_run_id: run.dag_run_id, task_ids: ["t_21"], dry_run: false } });
    expect(onlyFailed.body.task_instances).toEqual([]);
    expect(await get(b, "t_21")).toMatchObject({ state: "success", try_number: 1 });
    if (line() === "v1") expect(Object.keys(dry.body.task_instances[0]).sort()).toEqual(["dag_id", "dag_run_id", "execution_date", "task_id"]);
    else expect(dry.body.task_instances[0]).toMatchObject({ task_id: "t_20", state: "success", try_number: 1 });
  });

  test("clear for real: the instance loses its state (and a scheduler runs it again as try 2)", async () => {
    const b = use();
    const answer = await b.call(`/dags/${run.dag_id}/clearTaskInstances`, { body: { dag_run_id: run.dag_run_id, task_ids: ["t_22"], dry_run: false, only_failed: false } });
    expect(answer.status).toBe(200);
    expect(answer.body.task_instances.map((t: { task_id: string }) => t.task_id)).toEqual(["t_22"]);
    if (line() === "v2") expect(answer.body.task_instances[0]).toMatchObject({ state: null, try_number: 1, max_tries: 1 });
    const after = await get(b, "t_22");
    // Right after the clear: no state yet, or already queued or run again by the real scheduler.
    if (after.try_number === 1) expect([null, "scheduled", "queued"]).toContain(after.state);
    else expect(after.try_number).toBe(2);
    expect(after.max_tries).toBe(1);
    // The history holds the cleared try as it was; the current row is listed after it.
    const tries = (await b.call(`${ti("t_22")}/tries`)).body;
    expect(tries.task_instances.map((t: { try_number: number; state: string | null }) => [t.try_number, t.state])[0]).toEqual([1, "success"]);
    expect(tries.total_entries).toBe(2);
  });

  test("an empty note: kept as \"\" on v1, no note (null) on v2", async () => {
    const b = use();
    const set = line() === "v1" ? await b.call(`${ti("t_25")}/setNote`, { method: "PATCH", body: { note: "" } }) : await b.call(`${ti("t_25")}?map_index=-1`, { method: "PATCH", body: { note: "" } });
    expect(set.status).toBe(200);
    expect((await get(b, "t_25")).note).toBe(line() === "v1" ? "" : null);
  });

  test("clear refuses an unknown field and names a missing run", async () => {
    const b = use();
    const clear = `/dags/${run.dag_id}/clearTaskInstances`;
    const unknown = await b.call(clear, { body: { bogus: 1 } });
    if (line() === "v1") expect([unknown.status, unknown.body.detail]).toEqual([400, "{'bogus': ['Unknown field.']}"]);
    else expect([unknown.status, unknown.body.detail]).toEqual([422, [{ type: "extra_forbidden", loc: ["body", "bogus"], msg: "Extra inputs are not permitted", input: 1 }]]);
    const missing = await b.call(clear, { body: { dag_run_id: "nope" } });
    expect(missing.status).toBe(404);
    const message = `Dag Run id nope not found in dag ${run.dag_id}`;
    if (line() === "v1") expect(missing.body).toMatchObject({ title: message, detail: null });
    else expect(missing.body).toEqual({ detail: message });
  });

  if (line() === "v1") {
    test("v1: a cleared instance of a finished run says why it cannot be queued", async () => {
      const b = use();
      await b.call(`/dags/${run.dag_id}/clearTaskInstances`, { body: { dag_run_id: run.dag_run_id, task_ids: ["t_26"], dry_run: false, only_failed: false, reset_dag_runs: false } });
      const deps = (await b.call(`${ti("t_26")}/dependencies`)).body;
      // The run's state by then depends on what the scheduler made of the earlier changes.
      expect(deps).toEqual({
        dependencies: [
          { name: "Dagrun Running", reason: expect.stringMatching(/^Task instance's dagrun was not in the 'running' state but in the state '(success|failed|queued)'\.$/) },
          { name: "Task Instance State", reason: "Task is in the 'None' state." },
        ],
      });
    });

    test("v1: tries of an unknown task are an empty list; a missing try is a 404 naming it", async () => {
      const b = use();
      expect((await b.call(`${ti("nope")}/tries`)).body).toEqual({ task_instances: [], total_entries: 0 });
      const missing = await b.call(`${ti("t_27")}/tries/2`);
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({
        title: "Task instance not found",
        detail: `Task Instance not found for dag_id=${run.dag_id}, run_id=${run.dag_run_id}, task_id=t_27, map_index=-1, try_number=2.`,
      });
    });

    test("v1: the log of an instance the scheduler finished without a worker has no file to show", async () => {
      const answer = await use().call(`${ti("t_28")}/logs/1`);
      expect(answer.status).toBe(200);
      expect(answer.body.content).toMatch(/^\[\('', " INFO - ::group::Log message source details\\n\*\*\* Could not read served logs: Invalid URL 'http:\/\/:\d+\/log\/dag_id=ati_many\/.*task_id=t_28\/attempt=1\.log': No host supplied\\n INFO - ::endgroup::\\n"\)\]$/);
    });
  }

  if (line() === "v2") {
    test("v2 clear takes [task_id, map_index] pairs", async () => {
      const answer = await use().call(`/dags/${run.dag_id}/clearTaskInstances`, { body: { dag_run_id: run.dag_run_id, task_ids: [["t_23", -1], "t_24"], only_failed: false } });
      expect(answer.body.task_instances.map((t: { task_id: string }) => t.task_id).sort()).toEqual(["t_23", "t_24"]);
    });
  }

  test("the scratch run lists its 60 instances through the public client, page by page", async () => {
    const ids: string[] = [];
    for await (const item of use().client().taskInstances.list(run, { pageSize: 30 })) ids.push(item.task_id);
    expect(ids).toHaveLength(60);
    expect(new Set(ids).size).toBe(60);
  });
});
