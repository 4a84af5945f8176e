import type { Insertable, Selectable } from "kysely";
import type { Database } from "./schema";
import type { GeneratedDatabase } from "./schema.generated";

/**
 * Compile-time check (`npm run typecheck`) that db/schema.ts, written by hand, says what the
 * migrations built (db/schema.generated.ts, from `npm run db:types`). A disagreement fails to compile
 * with a message naming the table and column. db/schema.ts may be narrower than the database (a
 * union of strings for a text column, a shape for a jsonb column), never different.
 */

type Gen = GeneratedDatabase;
type Hand = Database;

type TableMismatch =
  | `${Exclude<keyof Gen, keyof Hand> & string}: a table of the migrations that db/schema.ts lacks`
  | `${Exclude<keyof Hand, keyof Gen> & string}: a table in db/schema.ts that the migrations do not create`;

type IsOptional<T, K extends keyof T> = object extends Pick<T, K> ? true : false;

type ColumnMismatch<
  T extends string,
  C extends string,
  Sel,
  Ins,
  G extends { type: unknown; nullable: boolean; hasDefault: boolean },
> =
  // `unknown` (an untyped jsonb column) says nothing about null.
  | (unknown extends Sel
      ? never
      : [null] extends [Sel]
        ? G["nullable"] extends true
          ? never
          : `${T}.${C}: null in db/schema.ts, NOT NULL in the migrations`
        : G["nullable"] extends true
          ? `${T}.${C}: nullable in the migrations, never null in db/schema.ts`
          : never)
  | ([Exclude<Sel, null>] extends [G["type"]] ? never : `${T}.${C}: db/schema.ts's type is not what the database returns`)
  | (Ins extends true
      ? G["nullable"] extends true
        ? never
        : G["hasDefault"] extends true
          ? never
          : `${T}.${C}: optional on insert in db/schema.ts, but NOT NULL without a default in the migrations`
      : never);

type TableColumnsMismatch<T extends keyof Hand & keyof Gen & string> = {
  [C in (keyof Hand[T] | keyof Gen[T]) & string]: C extends keyof Gen[T]
    ? C extends keyof Selectable<Hand[T]>
      ? Gen[T][C] extends { type: unknown; nullable: boolean; hasDefault: boolean }
        ? ColumnMismatch<
            T,
            C,
            Selectable<Hand[T]>[C],
            C extends keyof Insertable<Hand[T]> ? IsOptional<Insertable<Hand[T]>, C> : false,
            Gen[T][C]
          >
        : never
      : `${T}.${C}: a column of the migrations that db/schema.ts lacks`
    : `${T}.${C}: a column in db/schema.ts that the migrations do not create`;
}[(keyof Hand[T] | keyof Gen[T]) & string];

export type SchemaMismatch =
  TableMismatch | { [T in keyof Hand & keyof Gen & string]: TableColumnsMismatch<T> }[keyof Hand & keyof Gen & string];

/** Fails to compile, listing every mismatch, unless there is none. */
type ExpectNone<T extends never> = T;
export type SchemaAgreesWithMigrations = ExpectNone<SchemaMismatch>;
