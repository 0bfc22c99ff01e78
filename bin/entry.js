// Loads one compiled entry point from dist/. A checkout that was never built
// says how to build it, instead of a module-not-found stack trace.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function runEntry(name) {
  const url = new URL(`../dist/${name}.js`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) {
    process.stderr.write(
      `routerd-evpn: ${fileURLToPath(url)} is missing: run \`npm run build\` (or \`npm ci\`, which builds)\n`,
    );
    process.exit(2);
  }
  await import(url.href);
}
