/**
 * The layering of src/, checked by dependency-cruiser (npm run lint:deps, part of npm test).
 * README.md "Architecture" says why the data flows this way; this file is the rule.
 *
 * SYNTHESIS lists the folders that turn a stack into files, lowest first: a folder may import its own
 * files and the folders of the layers BELOW it, never one above (nor a peer of its own layer unless the
 * layer says so). The engine side (reading and deploying what synthesis wrote) sits on top of it.
 * Type-only imports count: a type that two files need goes into a file both can import.
 */
const SYNTHESIS = [
  ['core'], // the construct model and the primitives (App, Stack, GeneratedFile, props, Size, Duration, exit codes)
  ['log-format'], // how a program writes its log lines: LogFormat, LogLevel, time layouts
  ['compose', 'swarm'], // the Compose model and its file; swarm: the same file in docker stack deploy's dialect
  ['services'], // plain services (Postgres, Ollama, ...) and the listen-address helpers every program uses
  ['prometheus', 'loki'], // the stores
  ['collector'], // what every log collector (Promtail, Alloy) offers the rest: its labels, pipeline, props, interface
  ['labels'], // the values labels can take where the tree knows them (services, scrape jobs, alerts): queries are checked against them
  ['alertmanager'], // routes Prometheus' and Loki's alerts
  ['grafana'], // datasources and dashboards over the stores
  ['promtail', 'alloy'], // the collectors: read the services' logs, push to Loki
  ['rules'], // alert and recording rules over the stores, linking to the dashboards
  ['logging'], // composition: Loki + a collector + Grafana's datasource and dashboard
  ['aixcl'], // the default stacks
];
/** The engine side: which folders each may import (besides its own files). */
const ENGINE = {
  // aixcl-logs' client of Loki: finds the stack's Loki, queries, follows, prints.
  'log-query': SYNTHESIS.flat(),
  // aixcl-deploy's engine and the public aixcl-cdk/deploy entry: reads the synthesized model, not the constructs.
  deploy: ['core', 'compose', 'swarm'],
  // The CLIs: everything.
  cli: [...SYNTHESIS.flat(), 'log-query', 'deploy'],
};

const folders = (names) => `^src/(${names.join('|')})/`;
const layerRules = SYNTHESIS.flatMap((layer, i) => {
  const above = SYNTHESIS.slice(i + 1).flat();
  const notAllowed = [...above, ...Object.keys(ENGINE)];
  return layer.map((folder) => ({
    name: `layer-${folder}`,
    comment: `src/${folder} may import only ${SYNTHESIS.slice(0, i).flat().join(', ') || 'no other folder'}${layer.length > 1 ? ` and ${layer.filter((f) => f !== folder).join(', ')}` : ''} (layers below it)`,
    severity: 'error',
    from: { path: `^src/${folder}/` },
    to: { path: folders(notAllowed) },
  }));
});
const engineRules = Object.entries(ENGINE).map(([folder, allowed]) => ({
  name: `layer-${folder}`,
  comment: `src/${folder} may import only ${allowed.join(', ')}`,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: '^src/', pathNot: [`^src/${folder}/`, folders(allowed)] },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle works only while every reference in it sits in a function that runs later; move the shared part into a file both import.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    ...engineRules,
    {
      name: 'layer-index',
      comment: "The package's main entry (src/index.ts) is synthesis only: aixcl-cdk/deploy is its own entry, so that synthesizing does not load it.",
      severity: 'error',
      from: { path: '^src/index[.]ts$' },
      to: { path: folders(Object.keys(ENGINE)) },
    },
    {
      name: 'layer-src-folders',
      comment: 'Every folder of src/ has its place in the layering above: add a new one there.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/[^/]+/', pathNot: folders([...SYNTHESIS.flat(), ...Object.keys(ENGINE)]) },
    },
  ],
  options: {
    // Type-only imports count (a cycle of types is a cycle of the design, and the next value import makes it real).
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
  },
};
