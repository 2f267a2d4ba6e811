import { ActionableError } from './actionable-error';
import { runCommand } from './run-command';

/** `npm run <script>` with the terminal as stdio; throws an ActionableError if it fails. */
export async function runNpmScript(script: string, options: { signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {}): Promise<void> {
  // Prefer the npm that launched us (npm sets npm_execpath): no PATH lookup, no shell on Windows.
  const npmCli = process.env.npm_execpath;
  const exit =
    npmCli && /npm-cli\.c?js$/.test(npmCli)
      ? await runCommand(process.execPath, [npmCli, 'run', script], options)
      : await runCommand('npm', ['run', script], { ...options, shell: process.platform === 'win32' });
  options.signal?.throwIfAborted();
  if (exit.code !== 0) {
    const how = exit.error ? `could not run npm: ${exit.error.message}` : exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
    throw new ActionableError(`\`npm run ${script}\` failed (${how}); see its output above.`);
  }
}
