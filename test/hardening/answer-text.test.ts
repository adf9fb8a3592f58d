// A query's answer is serialised once: the response-size check measures the text Apollo then sends
// (src/graphql/limits/answer-text.ts), unless a plugin changed the answer after the check.
import type { FormattedExecutionResult } from "graphql";
import { describe, expect, it } from "vitest";
import { answerText, stringifyResult } from "../../src/graphql/limits/answer-text";

// a value whose JSON tells how many times it was serialised
function counted() {
  let serialised = 0;
  return { toJSON: () => ++serialised };
}

describe("a query's answer, serialised once", () => {
  it("the text sent is the one the size check measured, not a second serialisation", () => {
    const answer: FormattedExecutionResult = { data: { shipment: counted() } };

    const measured = answerText(answer);
    const sent = stringifyResult({ errors: answer.errors, data: answer.data, extensions: answer.extensions });

    expect(measured).toBe('{"data":{"shipment":1}}');
    expect(sent).toBe(`${measured}\n`);
  });

  it("an answer given extensions after the check (an ftv1 trace) is serialised again, with them", () => {
    const answer: FormattedExecutionResult = { data: { shipment: counted() } };
    answerText(answer);

    const sent = stringifyResult({ data: answer.data, extensions: { ftv1: "trace" } });

    expect(sent).toBe('{"data":{"shipment":2},"extensions":{"ftv1":"trace"}}\n');
  });

  it("an answer with errors is serialised as it is sent (the errors plugin rewrites them after the check)", () => {
    const data = { shipment: counted() };
    answerText({ data });

    const sent = stringifyResult({ errors: [{ message: "late", extensions: { correlationId: "c" } }], data });

    expect(sent).toBe('{"errors":[{"message":"late","extensions":{"correlationId":"c"}}],"data":{"shipment":2}}\n');
  });

  it("an answer the check never saw (a mutation) is serialised as Apollo would", () => {
    expect(stringifyResult({ data: { allocate: { state: "ALLOCATED" } } })).toBe('{"data":{"allocate":{"state":"ALLOCATED"}}}\n');
  });
});
