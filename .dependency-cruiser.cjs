// The stage graph of src/ (docs/architecture.md): what each folder may import.
// Every upward import between folders is forbidden by one rule below, so no
// cycle between folders can form; no-cycles covers files. Run by
// `npm run depcheck` (part of `npm test`).
const PURE = '^src/(resources|translate|render|import)/';
const SIDE = '^src/(system|observe|apply|controller|status|service|store|api|daemon|cli)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'No import cycle between files.', from: { path: '^src/' }, to: { circular: true } },
    {
      name: 'pure-stages-stay-pure',
      severity: 'error',
      comment: 'resources, translate, render and import are pure: they never import a side-effect stage.',
      from: { path: PURE },
      to: { path: SIDE },
    },
    {
      name: 'only-system-spawns',
      severity: 'error',
      comment: 'Only src/system (and the lab and bench tooling outside src) imports execa or child_process.',
      from: { path: '^src/', pathNot: '^src/system/' },
      to: { path: '(^|/)node_modules/execa/|^child_process$|^node:child_process$', dependencyTypes: ['npm', 'core'] },
    },
    { name: 'resources-is-the-base', severity: 'error', from: { path: '^src/resources/' }, to: { path: '^src/', pathNot: '^src/resources/' } },
    {
      name: 'import-feeds-resources',
      severity: 'error',
      comment: 'A foreign config (Proxmox SDN) becomes resources: import reads only resources; only the CLI reads import.',
      from: { path: '^src/import/' },
      to: { path: '^src/', pathNot: '^src/(import|resources)/' },
    },
    {
      name: 'only-the-cli-imports-foreign-configs',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(import|cli)/' },
      to: { path: '^src/import/' },
    },
    { name: 'translate-below-render', severity: 'error', from: { path: '^src/translate/' }, to: { path: '^src/render/' } },
    { name: 'system-is-a-leaf', severity: 'error', from: { path: '^src/system/' }, to: { path: '^src/', pathNot: '^src/(system|resources)/' } },
    { name: 'observe-reads-only', severity: 'error', from: { path: '^src/observe/' }, to: { path: '^src/(apply|controller|status|service|store|api|daemon|cli)/' } },
    { name: 'apply-below-controller', severity: 'error', from: { path: '^src/apply/' }, to: { path: '^src/(controller|status|service|api|daemon|cli|observe)/' } },
    {
      name: 'status-is-pure',
      severity: 'error',
      comment: 'Status is built by pure functions: the parsed output types of system are fine, its adapters are not.',
      from: { path: '^src/status/' },
      to: { path: '^src/(apply|service|store|api|daemon|cli)/|^src/system/(?!parse-)' },
    },
    { name: 'controller-below-service', severity: 'error', from: { path: '^src/controller/' }, to: { path: '^src/(status|service|api|daemon|cli)/' } },
    { name: 'store-is-a-leaf', severity: 'error', from: { path: '^src/store/' }, to: { path: '^src/', pathNot: '^src/(store|resources)/' } },
    { name: 'service-below-api', severity: 'error', from: { path: '^src/service/' }, to: { path: '^src/(api|daemon|cli)/' } },
    { name: 'api-below-daemon', severity: 'error', from: { path: '^src/api/' }, to: { path: '^src/(daemon|cli)/' } },
    {
      name: 'cli-talks-to-the-api',
      severity: 'error',
      comment: 'The CLI reaches the daemon over HTTP only; it may read api/paths, system/tools (doctor) and the pure stages.',
      from: { path: '^src/cli/' },
      to: { path: '^src/(observe|apply|controller|status|service|daemon)/|^src/api/(?!paths)|^src/system/(?!tools)' },
    },
    { name: 'src-never-imports-tests-or-lab', severity: 'error', from: { path: '^src/' }, to: { path: '^(test|lab|scripts)/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js'] },
    reporterOptions: { dot: { collapsePattern: '^src/[^/]+' } },
  },
};
