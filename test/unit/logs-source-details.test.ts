import { stripSourceDetails } from "../../src/logs/source-details";

describe("stripSourceDetails", () => {
  test("removes the 2.10.4+ source-details group, whatever notes it holds", () => {
    const running =
      " INFO - ::group::Log message source details\n*** Found local files:\n***   * /logs/attempt=1.log\n" +
      "*** Could not read served logs: connection refused\n INFO - ::endgroup::\n[2024] INFO - line 1\n";
    const finished = " INFO - ::group::Log message source details\n*** Found local files:\n***   * /logs/attempt=1.log\n INFO - ::endgroup::\n[2024] INFO - line 1\n";
    expect(stripSourceDetails(running)).toBe("[2024] INFO - line 1\n");
    expect(stripSourceDetails(finished)).toBe("[2024] INFO - line 1\n");
  });

  test("removes the leading *** lines of servers before 2.10.4", () => {
    expect(stripSourceDetails("*** Found local files:\n***   * /a.log\nLog for testing.")).toBe("Log for testing.");
  });

  test("leaves text without notes unchanged, including *** lines later in the log", () => {
    expect(stripSourceDetails("line 1\n*** not a note\n")).toBe("line 1\n*** not a note\n");
    expect(stripSourceDetails("")).toBe("");
  });

  test("an unterminated group is left as it is rather than swallowing the log", () => {
    const text = " INFO - ::group::Log message source details\n*** Found local files:\nline\n";
    expect(stripSourceDetails(text)).toBe(text);
  });

  test("a log holding nothing but notes becomes empty", () => {
    expect(stripSourceDetails("*** Found local files:\n***   * /a.log")).toBe("");
  });
});
