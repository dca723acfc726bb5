"""curl's side of the real-server benchmark (bench/real/run.ts): the same requests as the facade,
made by curl processes, as a lower bound.

One long-lived process per line (any Python 3, standard library only) reads one JSON command a
line on stdin and answers one JSON line on stdout, like bench/real/official_client.py. Each request
is one curl process started with os.posix_spawn and reaped with os.wait4, so the wall time is
spawn to exit and the CPU time is curl's own (ru_utime + ru_stime of the child); this driver's
own work between curl processes (reading a page's total_entries or a log's token from the file
curl wrote, as a shell loop would with jq) is inside the wall time and outside curl's CPU.

  get       one curl: GET .../taskInstances/{task_id}
  get-cold  v2: curl POST /auth/token, then curl GET with the new token; v1: as get (no login)
  list      curl for offset 0, then ONE curl --config with the URLs of every other page (one
            connection, reused), limit=100 like the facade
  read      one curl: GET .../logs/1 with Accept: application/json ({"compressed": false}: identity)
  follow    one curl per read, from the token of the answer before, pollMs between reads, until
            the token says end_of_log (v1) or is null (v2)

Besides wallMs and cpuMs, each answer has transferMs: the sum of curl's own time_total over the
job's transfers (the HTTP exchanges without starting curl processes), the strictest lower bound,
and bodyMs: the part of it after the answer's first byte (time_total - time_starttransfer).

Auth goes in a --config file (mode 0600), never on the command line: basic auth on v1, the bearer
token from POST /auth/token on v2 (fetched once at setup, as the facade logs in once).
"""

from __future__ import annotations

import base64
import json
import os
import sys
import tempfile
import time
import traceback
import urllib.parse

state: dict = {}
CURL = "curl"


def quote(value: str) -> str:
    return urllib.parse.quote(value, safe="")


def config_line(key: str, value: str) -> str:
    return f'{key} = "' + value.replace("\\", "\\\\").replace('"', '\\"') + '"\n'


def write_config(name: str, lines: list[str]) -> str:
    path = os.path.join(state["dir"], name)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write("".join(lines))
    return path


def run_curl(args: list[str]) -> dict:
    """Spawns curl with args (stdout to a file), waits for it; returns wall, CPU and what -w printed."""
    out = os.path.join(state["dir"], "stdout")
    actions = [(os.POSIX_SPAWN_OPEN, 1, out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)]
    t0 = time.perf_counter()
    pid = os.posix_spawnp(CURL, [CURL, *args], os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    with open(out) as f:
        printed = f.read()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise RuntimeError(f"curl exited {code}: {printed[-300:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "printed": printed}


def base_config(extra: list[str] | None = None, compressed: bool = True) -> list[str]:
    s = state["setup"]
    # --compressed: the facade's fetch asks for gzip too (Accept-Encoding: gzip, deflate), and 3.3
    # answers gzip. Without it curl sends no Accept-Encoding and gets identity, as urllib3 asks.
    lines = [config_line("header", "Accept: application/json"), "silent\n", "show-error\n", *(["compressed\n"] if compressed else [])]
    if s["line"] == "v2":
        lines.append(config_line("header", "Authorization: Bearer " + state["token"]))
    else:
        lines.append(config_line("user", f'{s["username"]}:{s["password"]}'))
    return lines + (extra or [])


def api() -> str:
    s = state["setup"]
    return s["root"] + ("/api/v2" if s["line"] == "v2" else "/api/v1")


def ti_url(ref: dict) -> str:
    return f'{api()}/dags/{quote(ref["dag_id"])}/dagRuns/{quote(ref["dag_run_id"])}/taskInstances/{quote(ref["task_id"])}'


class Meter:
    """Adds up curl's wall and CPU over the processes of one job."""

    def __init__(self) -> None:
        self.cpu = 0.0
        self.processes = 0
        self.statuses: list[str] = []
        self.transfer = 0.0
        self.body = 0.0


    def curl(self, config: list[str], name: str = "job.cfg") -> str:
        path = write_config(name, config)
        result = run_curl(["--config", path])
        self.cpu += result["cpu"]
        self.processes += 1
        # -w prints "<status> <time_total> <time_starttransfer>" after each transfer: curl's own
        # time for the HTTP exchange, and the part of it after the first byte of the answer.
        self.statuses = [line.split() for line in result["printed"].splitlines() if line.strip()]
        self.transfer += sum(float(fields[1]) for fields in self.statuses)
        self.body += sum(float(fields[1]) - float(fields[2]) for fields in self.statuses)
        return result["printed"]

    def check_ok(self, expected: str = "200") -> None:
        """Every transfer of the last curl process answered `expected`."""
        bad = [fields[0] for fields in self.statuses if fields[0] != expected]
        if bad:
            raise RuntimeError(f"curl got HTTP {','.join(bad)}")


def transfer(url: str, out: str) -> list[str]:
    return [config_line("url", url), config_line("output", out), config_line("write-out", "%{http_code} %{time_total} %{time_starttransfer}\\n")]


def fetch_token(meter: Meter | None = None) -> str:
    s = state["setup"]
    out = os.path.join(state["dir"], "token.json")
    body = json.dumps({"username": s["username"], "password": s["password"]})
    config = ["silent\n", "show-error\n", config_line("header", "Content-Type: application/json"), config_line("data-binary", body),
              *transfer(s["root"] + "/auth/token", out)]
    m = meter or Meter()
    m.curl(config, "token.cfg")
    m.check_ok("201")
    with open(out) as f:
        return json.load(f)["access_token"]


def job_get(meter: Meter) -> dict:
    out = os.path.join(state["dir"], "ti.json")
    meter.curl(base_config(transfer(ti_url(state["setup"]["ref"]), out)))
    meter.check_ok()
    with open(out) as f:
        ti = json.load(f)
    return {"state": ti["state"], "try_number": ti["try_number"]}


def job_get_cold(meter: Meter) -> dict:
    if state["setup"]["line"] == "v2":
        state["token"] = fetch_token(meter)
    return job_get(meter)


def page_url(offset: int) -> str:
    return f"{api()}/dags/~/dagRuns/~/taskInstances?limit=100&offset={offset}"


def job_list(meter: Meter) -> dict:
    first = os.path.join(state["dir"], "page-0.json")
    meter.curl(base_config(transfer(page_url(0), first)))
    meter.check_ok()
    with open(first) as f:
        page = json.load(f)
    total, size = page["total_entries"], len(page["task_instances"])
    files = [first]
    if size and total > size:
        # Headers, auth and write-out apply to every URL of the config; each URL has its output file.
        config = base_config([config_line("write-out", "%{http_code} %{time_total} %{time_starttransfer}\\n")])
        for offset in range(size, total, size):
            files.append(os.path.join(state["dir"], f"page-{offset}.json"))
            config += [config_line("url", page_url(offset)), config_line("output", files[-1])]
        meter.curl(config, "pages.cfg")
    meter.check_ok()
    keys, count = set(), 0
    for path in files:
        with open(path) as f:
            for ti in json.load(f)["task_instances"]:
                keys.add((ti["dag_id"], ti["dag_run_id"], ti["task_id"], ti["map_index"]))
                count += 1
    return {"count": count, "unique": len(keys), "total": total, "pages": len(files)}


def log_url(ref: dict, token: str | None) -> str:
    return f"{ti_url(ref)}/logs/1" + (f"?token={quote(token)}" if token else "")


def job_read(meter: Meter, compressed: bool) -> dict:
    out = os.path.join(state["dir"], "log.json")
    meter.curl(base_config(transfer(log_url(state["setup"]["logRef"], None), out), compressed))
    meter.check_ok()
    size = os.path.getsize(out)
    with open(out, "rb") as f:
        done = b"chatty done" in f.read()
    return {"size": size, "unit": "bytes", "done": done}


def v1_end_of_log(token: str | None) -> bool:
    if not token:
        return False
    payload = token.split(".")[0]
    return bool(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))).get("end_of_log"))


def job_follow(meter: Meter, ref: dict, poll_ms: float) -> dict:
    v2 = state["setup"]["line"] == "v2"
    out = os.path.join(state["dir"], "follow.json")
    token, reads, texts = None, 0, []
    while True:
        meter.curl(base_config(transfer(log_url(ref, token), out)))
        meter.check_ok()
        reads += 1
        with open(out) as f:
            answer = json.load(f)
        content = answer["content"]
        texts.append("\n".join(r.get("event", "") if isinstance(r, dict) else str(r) for r in content) if isinstance(content, list) else content)
        token = answer.get("continuation_token")
        if (token is None) if v2 else v1_end_of_log(token):
            break
        time.sleep(poll_ms / 1000)
    text = "\n".join(texts)
    return {"reads": reads, "slowLines": text.count("slow line "), "done": "slow: done" in text,
            "exitLine": "Task exited with return code" in text, "endedAtMs": time.time() * 1000}


def handle(command: dict) -> dict:
    job = command["job"]
    if job == "setup":
        state["setup"] = command
        state["dir"] = tempfile.mkdtemp(prefix="ati-bench-curl-")
        if command["line"] == "v2":
            state["token"] = fetch_token()
        version = run_curl(["--version"])["printed"].split("\n")[0]
        return {"ok": True, "curl": version}
    meter = Meter()
    t0 = time.perf_counter()
    if job == "get":
        check = job_get(meter)
    elif job == "get-cold":
        check = job_get_cold(meter)
    elif job == "list":
        check = job_list(meter)
    elif job == "read":
        check = job_read(meter, command.get("compressed", True))
    elif job == "follow":
        check = job_follow(meter, command["ref"], command.get("pollMs", 1000))
    else:
        raise ValueError(f"unknown job {job!r}")
    wall = time.perf_counter() - t0
    return {"ok": True, "wallMs": wall * 1000, "cpuMs": meter.cpu * 1000, "transferMs": meter.transfer * 1000, "bodyMs": meter.body * 1000, "check": {**check, "processes": meter.processes}}


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            answer = handle(json.loads(line))
        except Exception as error:
            answer = {"ok": False, "error": f"{type(error).__name__}: {str(error)[:800]}", "trace": traceback.format_exc()[-1500:]}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    if "dir" in state:
        for name in os.listdir(state["dir"]):
            os.unlink(os.path.join(state["dir"], name))
        os.rmdir(state["dir"])


if __name__ == "__main__":
    main()
