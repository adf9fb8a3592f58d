import type { FormattedExecutionResult } from "graphql";

// a query's answer as JSON, by its data: the size check makes the text, Apollo sends it
const texts = new WeakMap<object, string>();

// only a plain answer is kept: errors and extensions are rewritten after the check (errors, outage, ftv1 plugins)
const plain = (result: FormattedExecutionResult): result is FormattedExecutionResult & { data: object } =>
  result.errors === undefined && result.extensions === undefined && typeof result.data === "object" && result.data !== null;

/** The answer's JSON text, as Apollo would write it; a plain answer's is kept for stringifyResult. */
export function answerText(result: FormattedExecutionResult): string {
  const text = JSON.stringify(result);
  if (plain(result)) texts.set(result.data, text);
  return text;
}

/** Apollo's stringifyResult: the text answerText made when the answer is still that plain one, else JSON.stringify. */
export function stringifyResult(value: FormattedExecutionResult): string {
  const known = plain(value) ? texts.get(value.data) : undefined;
  return `${known ?? JSON.stringify(value)}\n`;
}
