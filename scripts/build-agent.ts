// Bundles the agent into one self-contained file (agent/dist/openhvx-agent.js) plus its PowerShell
// scripts, which is all a Hyper-V host needs besides Node.js.
import { build } from 'esbuild';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const outDir = join(root, 'agent', 'dist');

async function main(): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: [join(root, 'agent', 'src', 'main.ts')],
    outfile: join(outDir, 'openhvx-agent.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    // ws works without its optional native speed-ups; leaving them out keeps the bundle portable.
    external: ['bufferutil', 'utf-8-validate'],
    logLevel: 'warning',
  });
  const scripts = join(root, 'agent', 'scripts');
  if (existsSync(scripts)) cpSync(scripts, join(outDir, 'scripts'), { recursive: true });
  console.log(`Agent bundle: ${join(outDir, 'openhvx-agent.js')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
