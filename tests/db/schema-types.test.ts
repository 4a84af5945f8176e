import { readFileSync } from "node:fs";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";
import { GENERATED_PATH, generateSchemaTypes } from "../../scripts/db-types";

/**
 * db/schema.ts (the Kysely types, written by hand) must say what db/migrations build. The types
 * are generated afresh from a migrated PGlite database; the committed db/schema.generated.ts must
 * be current, and db/schema-check.ts must compile against the fresh types.
 */

const ROOT = new URL("../..", import.meta.url).pathname;
const CHECK_PATH = `${ROOT}db/schema-check.ts`;

/** Compiles db/schema-check.ts with the project's options, reading `generated` as db/schema.generated.ts. */
function schemaCheckErrors(generated: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    `${ROOT}tsconfig.json`,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  )!;
  const host = ts.createCompilerHost(config.options);
  const getSourceFile = host.getSourceFile;
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    fileName === GENERATED_PATH
      ? ts.createSourceFile(fileName, generated, languageVersion)
      : getSourceFile.call(host, fileName, languageVersion, ...rest);
  const program = ts.createProgram([CHECK_PATH], config.options, host);
  const checker = program.getTypeChecker();
  const errors = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  if (errors.length === 0) return [];
  // Name every mismatch, not only the first one tsc's message shows.
  const source = program.getSourceFile(CHECK_PATH)!;
  const mismatches: string[] = [];
  ts.forEachChild(source, (node) => {
    if (ts.isTypeAliasDeclaration(node) && node.name.text === "SchemaMismatch") {
      const type = checker.getTypeAtLocation(node.name);
      for (const part of type.isUnion() ? type.types : [type])
        mismatches.push(checker.typeToString(part, undefined, ts.TypeFormatFlags.NoTruncation));
    }
  });
  return mismatches.length > 0 ? mismatches : errors;
}

describe("the hand-written database types", () => {
  let generated: string;
  beforeAll(async () => {
    generated = await generateSchemaTypes();
  });

  it("are checked against a db/schema.generated.ts that is current (else run `npm run db:types`)", () => {
    expect(readFileSync(GENERATED_PATH, "utf8")).toBe(generated);
  });

  it("agree with the tables and columns the migrations create", () => {
    expect(schemaCheckErrors(generated)).toEqual([]);
  });

  it("are caught disagreeing: a column the migrations lack, a nullable column typed as never null", () => {
    const altered = generated
      .replace("  countries: {\n", "  countries: {\n    population: { type: number; nullable: false; hasDefault: false };\n")
      .replace(
        "    currency: { type: string; nullable: false; hasDefault: false };\n    name: { type: string; nullable: false; hasDefault: false };\n",
        "    currency: { type: string; nullable: false; hasDefault: false };\n    name: { type: string; nullable: true; hasDefault: false };\n",
      );
    expect(altered).not.toBe(generated);
    expect(schemaCheckErrors(altered).sort()).toEqual([
      '"countries.name: nullable in the migrations, never null in db/schema.ts"',
      '"countries.population: a column of the migrations that db/schema.ts lacks"',
    ]);
  });
});
