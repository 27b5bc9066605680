// Reads the declarations of Go packages at a tag of a local git clone (`git show <tag>:<path>`): per package its
// name, its type declarations (struct bodies, defined types, aliases) with the imports of the file each is in, and
// the method names of each type. Only names, types and struct tags are read, enough to tell what a configuration
// struct accepts; no code is copied. Not a Go parser: it reads gofmt-formatted source, which every release is.
import { execFileSync } from 'node:child_process';

/** `src` without comments; strings, raw strings and runes kept as they are. */
export function stripGoComments(src) {
  let out = '';
  for (let i = 0; i < src.length;) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const body = src.slice(i, end + 2);
      out += body.replace(/[^\n]/g, ''); // keep line structure
      i = end + 2;
    } else if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += c !== '`' && src[j] === '\\' ? 2 : 1;
      out += src.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The index just after the bracket that closes the one at `open` (`{`, `(` or `[`), strings skipped. */
export function closing(src, open) {
  const pairs = { '{': '}', '(': ')', '[': ']' };
  const stack = [];
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '"' || c === "'" || c === '`') {
      let j = i + 1;
      while (j < src.length && src[j] !== c) j += c !== '`' && src[j] === '\\' ? 2 : 1;
      i = j;
    } else if (pairs[c]) stack.push(pairs[c]);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
  }
  throw new Error(`unbalanced bracket at ${open}`);
}

function importsOf(src) {
  const imports = new Map();
  const add = (alias, path) => {
    const last = path
      .split('/')
      .filter((p) => !/^v\d+$/.test(p))
      .pop()
      .replace(/\.v\d+$/, '')
      .replace(/^go-/, '')
      .replace(/-/g, '_');
    imports.set(alias || last, path);
  };
  for (const m of src.matchAll(/^import\s+(\w+\s+)?"([^"]+)"/gm)) add(m[1]?.trim(), m[2]);
  for (const m of src.matchAll(/^import \(([\s\S]*?)^\)/gm)) {
    for (const line of m[1].split('\n')) {
      const im = /^\s*([\w.]+\s+)?"([^"]+)"/.exec(line);
      if (im) add(im[1]?.trim(), im[2]);
    }
  }
  return imports;
}

/**
 * @param {string} repo a git clone
 * @param {string} tag the release tag
 * @returns {(dir: string) => { name: string, types: Map<string, {expr: string, alias: boolean, imports: Map<string,string>, file: string}>, methods: Map<string, Set<string>>, files: Map<string,string>, imports: Map<string, Map<string,string>> } | undefined}
 *   a package by its directory in the repository (undefined when the tag has no Go files there)
 */
export function goPackageReader(repo, tag) {
  const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const cache = new Map();
  return (dir) => {
    if (cache.has(dir)) return cache.get(dir);
    let names;
    try {
      names = git('ls-tree', '--name-only', `${tag}:${dir}`).split('\n');
    } catch {
      names = [];
    }
    const files = names.filter((n) => n.endsWith('.go') && !n.endsWith('_test.go'));
    let pkg;
    if (files.length) {
      pkg = { name: '', types: new Map(), methods: new Map(), files: new Map(), imports: new Map() };
      for (const f of files) {
        const path = `${dir}/${f}`;
        const src = stripGoComments(git('show', `${tag}:${path}`));
        if (/^\/\/go:build\s+ignore/m.test(src)) continue;
        pkg.files.set(path, src);
        pkg.name ||= /^package (\w+)/m.exec(src)?.[1] ?? '';
        const imports = importsOf(src);
        pkg.imports.set(path, imports);
        const declare = (body, at) => {
          // `Name[T any] struct {`, `Name = other.T`, `Name other.T`
          const m = /^(\w+)(\[[^\]]*\])?\s+(=\s*)?/.exec(body);
          if (!m) return;
          let expr = body.slice(m[0].length);
          if (/^(struct|interface)\s*\{/.test(expr)) expr = expr.slice(0, closing(expr, expr.indexOf('{')));
          else expr = expr.split('\n')[0].trim();
          pkg.types.set(m[1], { expr, alias: Boolean(m[3]), generic: Boolean(m[2]), imports, file: path, at });
        };
        for (const m of src.matchAll(/^type\s+(?!\()/gm)) declare(src.slice(m.index + m[0].length), m.index);
        for (const m of src.matchAll(/^type \(/gm)) {
          const end = closing(src, m.index + m[0].length - 1);
          const group = src.slice(m.index + m[0].length, end - 1);
          for (const d of group.matchAll(/^\t(?=\w)/gm)) declare(group.slice(d.index + 1), m.index);
        }
        for (const m of src.matchAll(/^func \(\s*(?:\w+\s+)?\*?(\w+)(?:\[[^\]]*\])?\s*\)\s*(\w+)\(/gm)) {
          if (!pkg.methods.has(m[1])) pkg.methods.set(m[1], new Set());
          pkg.methods.get(m[1]).add(m[2]);
        }
      }
    }
    cache.set(dir, pkg);
    return pkg;
  };
}

/**
 * The fields of a struct body (`struct { ... }`): names, type expression and the raw tag. A field list `A, B T`
 * gives one field per name; an embedded field has no name (`embedded: true`).
 */
export function structFields(expr) {
  const body = expr.slice(expr.indexOf('{') + 1, expr.lastIndexOf('}'));
  const fields = [];
  let i = 0;
  while (i < body.length) {
    // One field: up to the end of the line, brackets of an inline struct or func type included.
    let j = i;
    while (j < body.length && body[j] !== '\n' && body[j] !== ';') {
      if ('{(['.includes(body[j])) j = closing(body, j);
      else if (body[j] === '`' || body[j] === '"') j = body.indexOf(body[j], j + 1) + 1;
      else j++;
    }
    const line = body.slice(i, j).trim();
    i = j + 1;
    if (!line) continue;
    const tagMatch = /`([^`]*)`\s*$/.exec(line);
    const tag = tagMatch?.[1] ?? '';
    const decl = tagMatch ? line.slice(0, tagMatch.index).trim() : line;
    const named = /^(\w+(?:\s*,\s*\w+)*)\s+(.+)$/s.exec(decl);
    if (named && !/^\w+\.\w+$/.test(decl)) {
      for (const name of named[1].split(',')) fields.push({ name: name.trim(), type: named[2].trim(), tag });
    } else {
      fields.push({ name: decl.replace(/^\*/, '').split('.').pop(), type: decl, tag, embedded: true });
    }
  }
  return fields;
}
