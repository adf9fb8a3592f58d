import { GraphQLError, GraphQLScalarType, Kind } from "graphql";

const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;

function asDecimal(value: unknown): string {
  if (typeof value === "string" && DECIMAL.test(value)) return value;
  throw new GraphQLError(`Decimal must be a string of digits such as "2.00", got ${JSON.stringify(value)}`);
}

// exact decimals travel as strings: a float would turn 0.1 + 0.2 into 0.30000000000000004
export const DecimalScalar = new GraphQLScalarType({
  name: "Decimal",
  description: 'An exact decimal number carried as a string, e.g. "2.00" or "0.2". Never a float.',
  serialize: asDecimal,
  parseValue: asDecimal,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError("Decimal literals are strings, e.g. \"2.00\"");
    return asDecimal(ast.value);
  },
});
