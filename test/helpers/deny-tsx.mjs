// Loaded with --import: any attempt to load tsx or esbuild fails, so a test
// proves the built package runs without them (they are dev dependencies).
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (/\\/node_modules\\/(tsx|esbuild|@esbuild)\\//.test(result.url)) {
    throw new Error('the built package loaded ' + result.url + ' (tsx/esbuild are dev dependencies)');
  }
  return result;
}`),
);
