/**
 * Contract: version, line detection, auth, unknown routes and unknown query parameters. The same
 * assertions run on the fake and on the real server of each line (see backends.ts).
 */
import { forEachBackend, runPath } from "./backends";
import { FIXTURE_RUN } from "./fixture";

const FIXTURE = runPath(FIXTURE_RUN.dag_id, FIXTURE_RUN.dag_run_id);
const PROBLEM_TYPE = (version: string, name: string) => `https://airflow.apache.org/docs/apache-airflow/${version}/stable-rest-api-ref.html#section/Errors/${name}`;

forEachBackend("basics", (use, line) => {
  test("the version endpoint needs no auth and names the release", async () => {
    const b = use();
    const answer = await b.call("/version", { anonymous: true });
    expect(answer.status).toBe(200);
    expect(answer.body.version).toBe(b.version);
    expect(typeof answer.body.git_version).toBe("string");
  });

  test("the public client detects the line from the server root", async () => {
    const b = use();
    const airflow = b.client();
    expect(await airflow.apiVersion()).toBe(b.line);
    expect(await airflow.serverVersion()).toBe(b.version);
  });

  test("no credentials: 401 in the line's error shape", async () => {
    const b = use();
    const answer = await b.call(`${FIXTURE}/taskInstances/flaky`, { anonymous: true });
    expect(answer.status).toBe(401);
    expect(answer.headers.get("www-authenticate")).toBeNull();
    if (b.line === "v1") {
      expect(answer.contentType).toBe("application/problem+json");
      expect(answer.body).toEqual({ detail: null, status: 401, title: "Unauthorized", type: PROBLEM_TYPE(b.version, "Unauthenticated") });
    } else {
      expect(answer.contentType).toBe("application/json");
      expect(answer.body).toEqual({ detail: "Not authenticated" });
    }
  });

  if (line() === "v1") {
    test("v1: a wrong password is a 401 too", async () => {
      const b = use();
      const answer = await b.call(`${FIXTURE}/taskInstances/flaky`, { headers: { Authorization: `Basic ${Buffer.from(`${b.credentials.username}:wrong`).toString("base64")}` } });
      expect(answer.status).toBe(401);
      expect(answer.body.title).toBe("Unauthorized");
    });

    test("v1: an unknown route is werkzeug's 404 problem with type about:blank", async () => {
      const b = use();
      const answer = await b.call("/no/such/route");
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({
        detail: "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.",
        status: 404,
        title: "Not Found",
        type: "about:blank",
      });
    });

    test("v1: a wrong method is a 405 problem", async () => {
      const b = use();
      const answer = await b.call(`${FIXTURE}/taskInstances/flaky`, { method: "DELETE" });
      expect(answer.status).toBe(405);
      expect(answer.body).toMatchObject({ status: 405, title: "Method Not Allowed", type: "about:blank" });
    });

    test("v1: an unknown query parameter is a 400, even before auth", async () => {
      const b = use();
      for (const anonymous of [false, true]) {
        const answer = await b.call(`${FIXTURE}/taskInstances?bogus=1`, { anonymous });
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual({ detail: "Extra query parameter(s) bogus not in spec", status: 400, title: null, type: PROBLEM_TYPE(b.version, "BadRequest") });
      }
    });

    test("v1: order_by is not a parameter of the plain list on 2.x", async () => {
      const answer = await use().call("/dags/~/dagRuns/~/taskInstances?limit=2&order_by=-start_date");
      expect(answer.status).toBe(400);
      expect(answer.body.detail).toBe("Extra query parameter(s) order_by not in spec");
    });

    test("v1: /api/v2 does not exist on 2.x (404)", async () => {
      const answer = await use().raw("/api/v2/version");
      expect(answer.status).toBe(404);
    });

    test("v1: /health answers without auth", async () => {
      const answer = await use().raw("/health");
      expect(answer.status).toBe(200);
      expect(answer.body.metadatabase).toEqual({ status: "healthy" });
    });
  } else {
    test("v2: POST /auth/token gives 201 and a JWT (HS512) for the right password", async () => {
      const b = use();
      const answer = await b.raw("/auth/token", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(b.credentials) });
      expect(answer.status).toBe(201);
      expect(Object.keys(answer.body)).toEqual(["access_token"]);
      const parts = String(answer.body.access_token).split(".");
      expect(parts).toHaveLength(3);
      const header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8"));
      expect(header).toMatchObject({ alg: "HS512", typ: "JWT" });
      const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8"));
      expect(claims).toMatchObject({ sub: b.credentials.username, aud: "apache-airflow" });
      expect(claims.exp - claims.iat).toBe(86400);
    });

    test("v2: a form-encoded login works too", async () => {
      const b = use();
      const answer = await b.raw("/auth/token", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(b.credentials).toString(),
      });
      expect(answer.status).toBe(201);
    });

    test("v2: a wrong password is 401 Invalid credentials", async () => {
      const b = use();
      const answer = await b.raw("/auth/token", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ ...b.credentials, password: "wrong" }) });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ detail: "Invalid credentials" });
    });

    test("v2: Basic auth is not accepted (401), a garbage token is 403", async () => {
      const b = use();
      const basic = `Basic ${Buffer.from(`${b.credentials.username}:${b.credentials.password}`).toString("base64")}`;
      const withBasic = await b.call(`${FIXTURE}/taskInstances/flaky`, { headers: { Authorization: basic } });
      expect([withBasic.status, withBasic.body]).toEqual([401, { detail: "Not authenticated" }]);
      const garbage = await b.call(`${FIXTURE}/taskInstances/flaky`, { headers: { Authorization: "Bearer garbage" } });
      expect([garbage.status, garbage.body]).toEqual([403, { detail: "Invalid JWT token" }]);
    });

    test("v2: an unknown route is {error: API route not found}", async () => {
      const answer = await use().call("/nonexistent");
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ error: "API route not found" });
    });

    test("v2: any /api/v1 path is a 404 saying v1 was removed", async () => {
      const b = use();
      for (const path of ["/api/v1/version", `/api/v1${FIXTURE}/taskInstances`]) {
        const answer = await b.raw(path);
        expect(answer.status).toBe(404);
        expect(answer.body).toEqual({ error: "/api/v1 has been removed in Airflow 3, please use its upgraded version /api/v2 instead." });
      }
    });

    test("v2: /health moved", async () => {
      const answer = await use().raw("/health");
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ error: "Moved in Airflow 3. Please change config to check `/api/v2/monitor/health`" });
    });

    test("v2: unknown query parameters are ignored, v1 names included", async () => {
      const b = use();
      const plain = await b.call(`${FIXTURE}/taskInstances`);
      const extra = await b.call(`${FIXTURE}/taskInstances?bogus=1&execution_date_gte=2030-01-01T00%3A00%3A00%2B00%3A00`);
      expect(extra.status).toBe(200);
      expect(extra.body.total_entries).toBe(plain.body.total_entries);
    });

    test("v2: a wrong method is 405 {detail}", async () => {
      const answer = await use().call(`${FIXTURE}/taskInstances/flaky`, { method: "POST", body: {} });
      expect(answer.status).toBe(405);
      expect(answer.body).toEqual({ detail: "Method Not Allowed" });
    });

    test("v2: a non-integer map index in the path is a 422 list", async () => {
      const answer = await use().call(`${FIXTURE}/taskInstances/flaky/bogus`);
      expect(answer.status).toBe(422);
      expect(answer.body.detail).toEqual([
        { type: "int_parsing", loc: ["path", "map_index"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "bogus" },
      ]);
    });
  }
});
