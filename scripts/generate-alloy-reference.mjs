#!/usr/bin/env node
// Regenerates src/alloy/alloy-reference.ts: every component Grafana Alloy registers (name and stability), the
// top-level configuration blocks, and for the components this library writes or may write the full schema of
// their arguments (attributes with their Alloy type, nested blocks, enum blocks such as loki.process's `stage.*`)
// and exports, read from the `alloy:"..."` struct tags of the Go types each component registers. Moving to a
// new Alloy release is one command:
//
//   node scripts/generate-alloy-reference.mjs <grafana/alloy git clone> v1.19.0-rc.3 [output file]
//
// (The output file defaults to src/alloy/alloy-reference.ts; test/alloy-reference.test.ts writes elsewhere to
// compare.)
// Files are read with `git show <tag>:<path>` (scripts/lib/go-packages.mjs). The tag grammar is Alloy's
// syntax/internal/syntaxtags/syntaxtags.go (Get, parseFlags): `name,attr`, `name,attr,optional`, `name,block`,
// `name,block,optional`, `name,enum[,optional]`, `,label`, `,squash`; a dotted name (`stage.json`) only for
// blocks. The Go-type-to-Alloy-type rules are syntax/internal/value/type.go (AlloyType): numbers, strings, bools,
// slices -> array, map[string]T -> object, a struct with alloy tags -> object, a type with MarshalText -> string,
// a type with AlloyCapsule or an interface -> capsule; time.Duration is a string read by time.ParseDuration
// (syntax/internal/value/decode.go). Only names, tags and types are read: no code is copied.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closing, goPackageReader, stripGoComments, structFields } from './lib/go-packages.mjs';

const [repo, tag, outArg] = process.argv.slice(2);
if (!repo || !/^v\d+\.\d+\.\d+(-rc\.\d+)?$/.test(tag ?? '')) {
  console.error('usage: node scripts/generate-alloy-reference.mjs <grafana/alloy git clone> <tag, e.g. v1.19.0-rc.3> [output file]');
  process.exit(2);
}
const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const commit = git('rev-parse', `${tag}^{commit}`).trim();
const MODULE = 'github.com/grafana/alloy';
const pkgAt = goPackageReader(repo, tag);

/** The components given a full schema: the ones this library writes, or may. */
const FULL = [
  /^loki\./,
  /^discovery\.(docker|dockerswarm|relabel)$/,
  /^otelcol\.(receiver\.otlp|processor\.(batch|memory_limiter|attributes|groupbyattrs)|exporter\.(otlphttp|loki))$/,
  /^prometheus\.exporter\.self$/,
];

/** Top-level configuration blocks given a full schema: [directory, Go type]. */
const CONFIG_SCHEMAS = {
  logging: ['internal/runtime/logging', 'Options'], // internal/runtime/internal/controller/node_config.go: loggingBlockID
  livedebugging: ['internal/service/livedebugging', 'Arguments'], // internal/service/livedebugging/service.go: ServiceName
};

/**
 * Types from outside the Alloy repository that the schemas use, with their Alloy type and why.
 * The generator stops on any other, so a new one is looked at rather than guessed.
 */
const EXTERNAL = {
  'time.Duration': 'duration', // decode.go: a string read by time.ParseDuration
  // alecthomas/units bytes.go: Base2Bytes has MarshalText ("1MiB"), so Alloy reads it from a string.
  'github.com/alecthomas/units.Base2Bytes': 'string',
};

/** In-repository types whose capsule converts from plain values (ConvertFrom), typed by what they accept. */
const CONVERTIBLE = {
  'syntax/alloytypes.Secret': 'secret', // secret.go: ConvertFrom a string
  'syntax/alloytypes.OptionalSecret': 'secret', // optional_secret.go: ConvertFrom a string
  'internal/component/discovery.Target': 'map(string)', // target.go: ConvertFrom a map of strings
};

/**
 * Attributes Alloy compiles as a Go regular expression, with how: `none` is regexp.Compile of the text as written,
 * `full` is relabel.NewRegexp's `^(?s:TEXT)$`. Each checked to exist. Not here: stage.match `selector` (LogQL).
 */
const REGEX_ATTRIBUTES = {
  'common/relabel.Config.regex': 'full', // internal/component/common/relabel/relabel.go:91 NewRegexp
  'loki/process/stages.RegexConfig.expression': 'none', // stages/regex.go:40
  'loki/process/stages.MultilineConfig.firstline': 'none', // stages/multiline.go:59
  'loki/process/stages.DropConfig.expression': 'none', // stages/drop.go:65
  'loki/process/stages.ReplaceConfig.expression': 'none', // stages/replace.go:33
  'loki/process/stages.JSONConfig.regex': 'none', // stages/json.go:60
  'loki/process/stages.LogfmtConfig.regex': 'none', // stages/logfmt.go:49
  'loki/process/stages.StructuredMetadataConfig.regex': 'none', // stages/structured_metadata.go:54
  'loki/process/stages.LuhnFilterConfig.skip_regex': 'none', // stages/luhn.go:47
};

const STABILITY = {
  'featuregate.StabilityGenerallyAvailable': 'generally-available',
  'featuregate.StabilityPublicPreview': 'public-preview',
  'featuregate.StabilityExperimental': 'experimental',
};

const shortDir = (dir) => dir.replace(/^internal\/component\//, '').replace(/^internal\//, '');
const dirOfImport = (path) => (path.startsWith(`${MODULE}/`) ? path.slice(MODULE.length + 1) : undefined);

// ---- types -------------------------------------------------------------------------------------------------

const NUMBER = /^(u?int(8|16|32|64)?|float(32|64)|byte|rune|uintptr)$/;
const unknownExternal = new Set();
/** Struct schemas to write: key -> { expr (the struct body), ctx (its package dir and imports) }. */
const structs = new Map();

/** The Alloy type of a Go type expression in a package: a string, or { struct: key } for a tagged struct. */
function typeOf(expr, ctx) {
  expr = expr.trim();
  if (expr.startsWith('*')) return typeOf(expr.slice(1), ctx);
  let m;
  if ((m = /^\[\d*\](.+)$/s.exec(expr))) {
    const elem = typeOf(m[1], ctx);
    return `list(${typeName(elem)})`;
  }
  if (expr.startsWith('map[')) {
    const close = closing(expr, 3);
    const key = expr.slice(4, close - 1).trim();
    if (key !== 'string') return 'capsule';
    return `map(${typeName(typeOf(expr.slice(close), ctx))})`;
  }
  if (/^struct\s*\{/.test(expr)) return hasAlloyTags(expr) ? { inline: expr, ctx } : 'capsule';
  if (/^interface\s*\{\s*\}$/.test(expr) || expr === 'any') return 'any';
  if (/^(interface|func|chan)\b/.test(expr)) return 'capsule';
  if (expr === 'string') return 'string';
  if (expr === 'bool') return 'bool';
  if (NUMBER.test(expr)) return 'number';
  if (expr === 'error') return 'capsule';
  if ((m = /^(\w+)\.(\w+)$/.exec(expr))) {
    const path = ctx.imports.get(m[1]);
    if (!path) throw new Error(`${ctx.dir}: no import for ${expr}`);
    const dir = dirOfImport(path);
    if (dir && pkgAt(dir)) return namedType(dir, m[2]);
    const id = `${path}.${m[2]}`;
    if (EXTERNAL[id]) return EXTERNAL[id];
    unknownExternal.add(`${id} (in ${ctx.where ?? ctx.dir})`);
    return 'any';
  }
  if (/^\w+$/.test(expr)) return namedType(ctx.dir, expr);
  throw new Error(`${ctx.dir}: cannot read type ${expr}`);
}

function typeName(t) {
  return typeof t === 'string' ? t : (t.tagless ?? 'object');
}

function hasAlloyTags(expr) {
  return /`[^`]*alloy:"/.test(expr);
}

function namedType(dir, name) {
  const id = `${dir}.${name}`;
  if (CONVERTIBLE[id]) return CONVERTIBLE[id];
  const pkg = pkgAt(dir);
  const decl = pkg?.types.get(name);
  if (!decl) throw new Error(`${dir}: type ${name} not found at ${tag}`);
  const methods = pkg.methods.get(name) ?? new Set();
  if (methods.has('AlloyCapsule')) return `capsule(${pkg.name}.${name})`;
  if (methods.has('MarshalText')) return 'string';
  const ctx = { dir, imports: decl.imports, where: `${dir}.${name}` };
  // A struct with no alloy tags is a capsule as a value, and an empty body as a block or arguments.
  if (/^struct\s*\{/.test(decl.expr))
    return { struct: `${shortDir(dir)}.${name}`, dir, name, tagless: hasAlloyTags(decl.expr) ? undefined : `capsule(${pkg.name}.${name})` };
  if (/^interface\s*\{/.test(decl.expr)) return /^interface\s*\{\s*\}$/.test(decl.expr) ? 'any' : `capsule(${pkg.name}.${name})`;
  return typeOf(decl.expr, ctx);
}

/** The struct a block field holds: its schema key, registered for writing. */
function blockStruct(t, key) {
  if (typeof t === 'string') throw new Error(`${key}: a block of non-struct type ${t}`);
  if (t.inline) {
    structs.set(key, { expr: t.inline, ctx: t.ctx });
    return key;
  }
  if (!structs.has(t.struct)) {
    const decl = pkgAt(t.dir).types.get(t.name);
    structs.set(t.struct, { expr: decl.expr, ctx: { dir: t.dir, imports: decl.imports, where: t.struct } });
  }
  return t.struct;
}

/** Resolves a block or squash field type to its struct (expr, ctx). */
function structOf(typeExpr, ctx) {
  const t = typeOf(typeExpr.replace(/^\*/, ''), ctx);
  if (typeof t === 'string') throw new Error(`${ctx.where}: ${typeExpr} is not a struct with alloy tags`);
  if (t.inline) return { expr: t.inline, ctx: t.ctx };
  const decl = pkgAt(t.dir).types.get(t.name);
  return { expr: decl.expr, ctx: { dir: t.dir, imports: decl.imports, where: t.struct } };
}

/** A block field's type: a struct, or a slice of them (repeatable), through named slice types. */
function blockType(typeExpr, ctx) {
  const expr = typeExpr.trim().replace(/^\*/, '');
  const slice = /^\[\d*\]\*?(.+)$/s.exec(expr);
  if (slice) return { repeatable: true, elem: slice[1], elemCtx: ctx };
  const m = /^(?:(\w+)\.)?(\w+)$/.exec(expr);
  if (m) {
    const dir = m[1] ? dirOfImport(ctx.imports.get(m[1]) ?? '') : ctx.dir;
    const decl = dir && pkgAt(dir)?.types.get(m[2]);
    if (decl && !/^struct\s*\{/.test(decl.expr)) return blockType(decl.expr, { dir, imports: decl.imports, where: ctx.where });
  }
  return { repeatable: false, elem: expr, elemCtx: ctx };
}

/** The members of a struct schema: name -> entry. Squashed structs are inlined, enums expanded. */
function membersOf(key, expr, ctx) {
  const members = [];
  for (const f of structFields(expr)) {
    const tag = /alloy:"([^"]*)"/.exec(f.tag)?.[1];
    if (tag === undefined) continue;
    const comma = tag.indexOf(',');
    const name = tag.slice(0, comma);
    const flags = tag.slice(comma + 1);
    if (flags === 'label') continue;
    if (flags === 'squash') {
      const inner = structOf(f.type, ctx);
      members.push(...membersOf(key, inner.expr, inner.ctx));
      continue;
    }
    const optional = flags.endsWith(',optional');
    const kind = flags.replace(/,optional$/, '');
    const where = { ...ctx, where: `${key}.${name}` };
    if (kind === 'attr') {
      const regex = REGEX_ATTRIBUTES[`${key}.${name}`];
      members.push([name, { attr: typeName(typeOf(f.type, where)), required: !optional, ...(regex ? { regex } : {}) }]);
    } else if (kind === 'block') {
      const { repeatable, elem, elemCtx } = blockType(f.type, where);
      const target = blockStruct(typeOf(elem, elemCtx), `${key}.${name}`);
      members.push([name, { block: target, required: !optional, repeatable }]);
    } else if (kind === 'enum') {
      // `Stages []StageConfig alloy:"stage,enum"`: each block field of StageConfig is a block `stage.<name>`,
      // any number of them in any order (syntax/internal/tagcache/tagcache.go EnumLookup).
      const inner = structOf(f.type.replace(/^\[\]\*?/, ''), ctx);
      for (const [blockName, entry] of membersOf(`${key}.${name}`, inner.expr, inner.ctx)) {
        if (!entry.block) throw new Error(`${key}.${name}: enum member ${blockName} is not a block`);
        members.push([`${name}.${blockName}`, { ...entry, required: false, repeatable: true }]);
      }
    } else throw new Error(`${key}: unknown alloy tag ${tag}`);
  }
  return members;
}

// ---- registrations --------------------------------------------------------------------------------------------

const registrations = [];
const files = git('ls-tree', '-r', '--name-only', tag, 'internal/component')
  .split('\n')
  .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'));
for (const file of files) {
  const src = stripGoComments(git('show', `${tag}:${file}`));
  for (const m of src.matchAll(/component\.Register\(component\.Registration\{/g)) {
    const open = m.index + m[0].length - 1;
    const body = src.slice(open + 1, closing(src, open) - 1);
    const field = (name) => new RegExp(`^\\s*${name}:\\s*(.+?),?\\s*$`, 'm').exec(body)?.[1];
    const dir = dirname(file);
    let name = field('Name');
    if (!name.startsWith('"')) {
      // `Name: name` with `const name = "..."` in the package.
      const pkg = pkgAt(dir);
      const decl = [...pkg.files.values()].map((s) => new RegExp(`\\b${name}\\s*=\\s*("[^"]+")`).exec(s)?.[1]).find(Boolean);
      if (!decl) throw new Error(`${file}: cannot read the component name ${name}`);
      name = decl;
    }
    // `Community: true` components have no stability: they run only with community components enabled
    // (internal/component/registry.go).
    const stability = field('Community') === 'true' ? 'community' : STABILITY[field('Stability')];
    if (!stability) throw new Error(`${file}: unknown stability ${field('Stability')}`);
    registrations.push({ name: JSON.parse(name), stability, dir, file, args: field('Args'), exports: field('Exports') });
  }
}
// A component with a build for other platforms too (`_stub.go`, `_placeholder.go`) is read from its real one.
const stub = (r) => /_(stub|placeholder)\.go$/.test(r.file);
registrations.sort((a, b) => a.name.localeCompare(b.name) || Number(stub(a)) - Number(stub(b)));
for (let i = registrations.length - 1; i > 0; i--) if (registrations[i].name === registrations[i - 1].name) registrations.splice(i, 1);

// Cross-check with the documentation: one page per component (docs/sources/reference/components/<ns>/<name>.md).
const documented = git('ls-tree', '-r', '--name-only', tag, 'docs/sources/reference/components')
  .split('\n')
  .filter((f) => /\/[a-z0-9_.]+\.md$/.test(f) && !f.endsWith('_index.md'))
  .map((f) => f.split('/').pop().replace(/\.md$/, ''));
const registered = new Set(registrations.map((r) => r.name));
const undocumented = [...registered].filter((n) => !documented.includes(n));
const unregistered = documented.filter((n) => !registered.has(n));
if (unregistered.length) console.warn(`documented, not registered (a removed component keeps its page): ${unregistered.join(', ')}`);
if (undocumented.length) console.warn(`registered, not documented (kept): ${undocumented.join(', ')}`);

const configBlocks = git('ls-tree', '--name-only', `${tag}:docs/sources/reference/config-blocks`)
  .split('\n')
  .filter((f) => f.endsWith('.md') && f !== '_index.md')
  .map((f) => f.replace(/\.md$/, ''));

/** `Arguments{}`, `otelcol.ConsumerExports{}` -> its struct, read with the imports of the registering file. */
function registeredStruct(r, literal, what) {
  return structOf(literal.replace(/\{\}$/, ''), { dir: r.dir, imports: pkgAt(r.dir).imports.get(r.file), where: `${r.name} ${what}` });
}

const components = [];
for (const r of registrations) {
  const entry = { name: r.name, stability: r.stability };
  if (FULL.some((re) => re.test(r.name))) {
    const key = r.name;
    if (r.args && r.args !== 'struct{}{}') {
      const s = registeredStruct(r, r.args, 'arguments');
      structs.set(key, s);
    } else structs.set(key, { expr: 'struct {}', ctx: { dir: r.dir, imports: new Map() } });
    entry.args = key;
    entry.exports = {};
    if (r.exports && r.exports !== 'nil') {
      const s = registeredStruct(r, r.exports, 'exports');
      for (const [n, e] of membersOf(`${key} exports`, s.expr, s.ctx)) entry.exports[n] = e.attr;
    }
  }
  components.push(entry);
}
const config = {};
for (const name of configBlocks) {
  config[name] = {};
  const where = CONFIG_SCHEMAS[name];
  if (where) {
    const [dir, type] = where;
    const decl = pkgAt(dir).types.get(type);
    structs.set(name, { expr: decl.expr, ctx: { dir, imports: decl.imports, where: name } });
    config[name] = { args: name };
  }
}

// Schemas: walk from the roots; blocks found on the way are added to `structs` as they are read.
const schemas = new Map();
for (let added = true; added;) {
  added = false;
  for (const [key, s] of [...structs]) {
    if (schemas.has(key)) continue;
    schemas.set(key, membersOf(key, s.expr, s.ctx));
    added = true;
  }
}
for (const where of Object.keys(REGEX_ATTRIBUTES)) {
  const dot = where.lastIndexOf('.');
  if (!schemas.get(where.slice(0, dot))?.some(([n, e]) => n === where.slice(dot + 1) && e.attr)) throw new Error(`regex attribute ${where} not found`);
}
if (unknownExternal.size) throw new Error(`types from outside Alloy with no entry in EXTERNAL:\n  ${[...unknownExternal].sort().join('\n  ')}`);

// ---- output ---------------------------------------------------------------------------------------------------

const q = (s) => `'${s}'`;
const key = (s) => (/^[a-z_][a-z0-9_]*$/i.test(s) ? s : q(s));
const memberLine = ([name, e]) => {
  if (e.attr) return `    ${key(name)}: { attr: ${q(e.attr)}, required: ${e.required}${e.regex ? `, regex: ${q(e.regex)}` : ''} },`;
  return `    ${key(name)}: { block: ${q(e.block)}, required: ${e.required}, repeatable: ${e.repeatable} },`;
};
const lines = [
  `// Generated by scripts/generate-alloy-reference.mjs from grafana/alloy ${tag} (commit ${commit}): the`,
  '// components Alloy registers and the alloy struct tags of their arguments and exports. Do not edit: regenerate with',
  '//   node scripts/generate-alloy-reference.mjs <grafana/alloy clone> <tag>',
  '',
  "import type { AlloyComponentInfo, AlloySchema } from './alloy-reference-types.js';",
  '',
  '/** The Alloy release the table was read from. */',
  `export const ALLOY_REFERENCE_VERSION = '${tag.slice(1)}';`,
  '/** The commit of that tag. */',
  `export const ALLOY_REFERENCE_COMMIT = '${commit}';`,
  '',
  '/** Every component Alloy registers; `args` and `exports` only for the components with a full schema. */',
  'export const ALLOY_COMPONENTS: Readonly<Record<string, AlloyComponentInfo>> = {',
  ...components.map((c) => {
    const parts = [`stability: ${q(c.stability)}`];
    if (c.args)
      parts.push(
        `args: ${q(c.args)}`,
        `exports: { ${Object.entries(c.exports)
          .map(([n, t]) => `${key(n)}: ${q(t)}`)
          .join(', ')} }`,
      );
    return `  ${q(c.name)}: { ${parts.join(', ')} },`;
  }),
  '};',
  '',
  '/** The blocks a file may hold besides components (docs/sources/reference/config-blocks); `args` when checked in full. */',
  'export const ALLOY_CONFIG_BLOCKS: Readonly<Record<string, { readonly args?: string }>> = {',
  ...Object.entries(config).map(([n, c]) => `  ${q(n)}: {${c.args ? ` args: ${q(c.args)} ` : ''}},`),
  '};',
  '',
  '/** The body of each block: a component (by its name), a config block, or a nested block (by its Go type). */',
  'export const ALLOY_SCHEMAS: Readonly<Record<string, AlloySchema>> = {',
  ...[...schemas].flatMap(([k, members]) => (members.length ? [`  ${q(k)}: {`, ...members.map(memberLine), '  },'] : [`  ${q(k)}: {},`])),
  '};',
  '',
];
const out = outArg ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'alloy', 'alloy-reference.ts');
writeFileSync(out, lines.join('\n'));
console.log(`wrote ${out}: ${components.length} components (${components.filter((c) => c.args).length} in full), ${schemas.size} schemas from Alloy ${tag}`);
