/*
 * The shapes of the generated table src/alloy/alloy-reference.ts (scripts/generate-alloy-reference.mjs).
 *
 * An Alloy type is written as Alloy's own type names (syntax/internal/value/type.go): `string`, `number`,
 * `bool`, `any`, `object` (a struct with alloy tags), `list(T)`, `map(T)` (an object of T), `capsule(pkg.Type)`
 * (a Go value only a reference can give, e.g. `capsule(loki.LogsReceiver)`), and two of this table's own:
 * `duration` (a string Go's time.ParseDuration reads) and `secret` (a capsule Alloy converts a string into:
 * syntax/alloytypes/secret.go).
 */

/** The stability a component is registered with (internal/featuregate); `community` for community components. */
export type AlloyStability = 'generally-available' | 'public-preview' | 'experimental' | 'community';

/** A registered component. */
export interface AlloyComponentInfo {
  readonly stability: AlloyStability;
  /** The key of its arguments' schema in ALLOY_SCHEMAS, for the components checked in full. */
  readonly args?: string;
  /** Its exports and their types, for the components checked in full. */
  readonly exports?: Readonly<Record<string, string>>;
}

/** An attribute of a block body. */
export interface AlloyAttributeSchema {
  /** The Alloy type of its value. */
  readonly attr: string;
  readonly required: boolean;
  /**
   * The value is a Go regular expression: `none` compiled as written, `full` anchored as `^(?s:...)$`
   * (relabel rules).
   */
  readonly regex?: 'none' | 'full';
}

/** A nested block of a block body. */
export interface AlloyBlockSchema {
  /** The key of its body's schema in ALLOY_SCHEMAS. */
  readonly block: string;
  readonly required: boolean;
  /** Whether it may be written more than once (a Go slice). */
  readonly repeatable: boolean;
}

/** A block body: its attributes and nested blocks by name (enum blocks by their dotted name, `stage.json`). */
export type AlloySchema = Readonly<Record<string, AlloyAttributeSchema | AlloyBlockSchema>>;
