import {
  Kind,
  parse,
  print,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
} from "graphql";

// Compares a printed schema with the public contract: everything the contract names must be there, unchanged.

type Named = DefinitionNode & { name: { value: string } };

function definitions(document: DocumentNode): Map<string, Named> {
  const map = new Map<string, Named>();
  for (const node of document.definitions) {
    if ("name" in node && node.name) map.set(`${node.kind}:${node.name.value}`.replace("Extension", "Definition"), node as Named);
  }
  return map;
}

function argSignature(arg: InputValueDefinitionNode): string {
  return `${arg.name.value}: ${print(arg.type)}`;
}

function fieldProblems(typeName: string, expected: FieldDefinitionNode, actual: FieldDefinitionNode | undefined): string[] {
  const where = `${typeName}.${expected.name.value}`;
  if (!actual) return [`${where} is missing`];
  const problems: string[] = [];
  if (print(expected.type) !== print(actual.type)) {
    problems.push(`${where} has type ${print(actual.type)}, contract says ${print(expected.type)}`);
  }
  const expectedArgs = (expected.arguments ?? []).map(argSignature);
  const actualArgs = actual.arguments ?? [];
  const leading = actualArgs.slice(0, expectedArgs.length).map(argSignature);
  if (leading.join(", ") !== expectedArgs.join(", ")) {
    problems.push(`${where} arguments are (${actualArgs.map(argSignature).join(", ")}), contract says (${expectedArgs.join(", ")})`);
  }
  for (const extra of actualArgs.slice(expectedArgs.length)) {
    if (extra.type.kind === Kind.NON_NULL_TYPE && !extra.defaultValue) {
      problems.push(`${where} adds a required argument ${extra.name.value}: existing clients would break`);
    }
  }
  return problems;
}

function directiveArgs(node: Named, name: string): string[] {
  return ((node as { directives?: readonly { name: { value: string } }[] }).directives ?? [])
    .filter((d) => d.name.value === name)
    .map((d) => print(d as never));
}

/** Every way `printed` fails to contain `contract`; empty when it does. */
export function contractProblems(contractSdl: string, printedSdl: string): string[] {
  const expected = definitions(parse(contractSdl));
  const actual = definitions(parse(printedSdl));
  const problems: string[] = [];
  for (const [key, node] of expected) {
    const found = actual.get(key);
    const name = node.name.value;
    if (!found) {
      problems.push(`${key.replace(/:.*/, "")} ${name} is missing`);
      continue;
    }
    if ("fields" in node && node.fields && node.kind !== Kind.INPUT_OBJECT_TYPE_DEFINITION) {
      const actualFields = new Map(((found as { fields?: readonly FieldDefinitionNode[] }).fields ?? []).map((f) => [f.name.value, f]));
      for (const field of node.fields as readonly FieldDefinitionNode[]) {
        problems.push(...fieldProblems(name, field, actualFields.get(field.name.value)));
      }
    }
    if ("interfaces" in node && node.interfaces) {
      const actualInterfaces = new Set(((found as { interfaces?: readonly { name: { value: string } }[] }).interfaces ?? []).map((i) => i.name.value));
      for (const iface of node.interfaces) {
        if (!actualInterfaces.has(iface.name.value)) problems.push(`${name} no longer implements ${iface.name.value}`);
      }
    }
    if (node.kind === Kind.UNION_TYPE_DEFINITION) {
      const want = (node.types ?? []).map((t) => t.name.value).sort().join(" | ");
      const have = ((found as typeof node).types ?? []).map((t) => t.name.value).sort().join(" | ");
      if (want !== have) problems.push(`union ${name} = ${have}, contract says ${want}`);
    }
    if (node.kind === Kind.ENUM_TYPE_DEFINITION) {
      const have = new Set(((found as typeof node).values ?? []).map((v) => v.name.value));
      for (const value of node.values ?? []) {
        if (!have.has(value.name.value)) problems.push(`enum ${name} lacks ${value.name.value}`);
      }
    }
    for (const key of directiveArgs(node, "key")) {
      if (!directiveArgs(found, "key").includes(key)) problems.push(`${name} lacks ${key}`);
    }
  }
  return problems;
}
