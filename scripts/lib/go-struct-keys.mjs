// Reads the YAML keys a Go program decodes from its config structs: the yaml tags of each struct's fields, with
// `yaml:",inline"` structs expanded, unexported fields and `yaml:"-"` skipped, and a field without a name in its
// tag read (as yaml.v2 and yaml.v3 do) under its lower-cased Go name. Files are read with `git show <tag>:<path>`
// from a local clone. Only names and tags are read: no code is copied.
import { execFileSync } from 'node:child_process';

/**
 * @param {string} repo a git clone
 * @param {string} tag the release tag
 * @param {Record<string, [string, string]>} structs type name -> [file, struct name in that file]
 * @returns {(typeName: string) => { keys: string[], unresolved: string[] }} the keys of a struct, and the inline
 *   types not in `structs` (their keys are then not included)
 */
export function structKeyReader(repo, tag, structs) {
  const sources = new Map();
  const source = (file) => {
    if (!sources.has(file)) sources.set(file, execFileSync('git', ['-C', repo, 'show', `${tag}:${file}`], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    return sources.get(file);
  };
  const keysOf = (typeName, seen = new Set()) => {
    const where = structs[typeName];
    if (!where) throw new Error(`no location for struct ${typeName}`);
    if (seen.has(typeName)) throw new Error(`inline cycle at ${typeName}`);
    const [file, struct] = where;
    const m = new RegExp(`^type ${struct} struct \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(source(file));
    if (!m) throw new Error(`${file}: struct ${struct} not found at ${tag}`);
    const keys = [];
    const unresolved = [];
    for (const raw of m[1].split('\n')) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      if (!line) continue;
      const field = /^(\w+)(?:\s+([^`]+?))?\s*(`[^`]*`)?$/.exec(line);
      if (!field) throw new Error(`${file} ${struct}: cannot read field: ${line}`);
      const [, name, type, tags] = field;
      if (/^[a-z]/.test(name)) continue; // unexported: never decoded
      const yaml = tags ? /yaml:"([^"]*)"/.exec(tags)?.[1] : undefined;
      if (yaml === '-') continue;
      const [key, ...opts] = (yaml ?? '').split(',');
      if (opts.includes('inline')) {
        // `config.HTTPClientConfig`, or an embedded `ProxyConfig`: the struct's own name.
        const inlined = (type ?? name).replace(/^\*/, '').split('.').pop();
        if (!structs[inlined]) {
          unresolved.push(inlined);
          continue;
        }
        const inner = keysOf(inlined, new Set([...seen, typeName]));
        keys.push(...inner.keys);
        unresolved.push(...inner.unresolved);
      } else {
        keys.push(key || name.toLowerCase());
      }
    }
    return { keys: [...new Set(keys)].sort(), unresolved };
  };
  return (typeName) => keysOf(typeName);
}
