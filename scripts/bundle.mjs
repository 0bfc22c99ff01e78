// One-file builds of the daemon and its validator worker (dist/bundle/), for
// hosts where loading ~800 module files is slow: the lab VM runs its daemons
// from these under qemu's CPU emulation (LAB_DAEMON_ENTRY, docs/lab.md).
// Both files sit two levels below the repository, as the compiled sources do,
// so the daemon finds frr-templates/ and its worker the same way.
import { build } from 'esbuild';

// CommonJS dependencies bundled into ESM still call require().
const banner = {
  js: "import { createRequire as __rdevpnRequire } from 'node:module';\nconst require = __rdevpnRequire(import.meta.url);",
};
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', banner, logLevel: 'warning' };

await build({ ...common, entryPoints: ['src/daemon/main.ts'], outfile: 'dist/bundle/daemon.js' });
await build({
  ...common,
  entryPoints: ['src/service/validator-worker.ts'],
  outfile: 'dist/bundle/validator-worker.js',
});
