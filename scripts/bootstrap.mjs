// Entry point of `npm start`, `npm test` and the benchmarks: node scripts/bootstrap.mjs <start|test|bench-console> [args…]
//
// Plain JavaScript with Node built-ins only, because it runs before node_modules exists: it checks
// the Node version, installs the dependencies when needed, then runs scripts/<command>.ts through
// tsx, forwarding the arguments and SIGINT/SIGTERM/SIGHUP, and exits with that script's exit code.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MIN_NODE = [20, 12];
const COMMANDS = ['start', 'test', 'bench-console'];
const root = dirname(dirname(fileURLToPath(import.meta.url)));

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) {
  console.error(
    `OpenHVX needs Node.js >= ${MIN_NODE.join('.')}, but this is Node.js ${process.version}.\n` +
      'Install a current Node.js LTS (https://nodejs.org/) and run the command again.',
  );
  process.exit(1);
}

const [command, ...rest] = process.argv.slice(2);
if (!COMMANDS.includes(command)) {
  console.error(`Usage: node scripts/bootstrap.mjs <${COMMANDS.join('|')}> [args…]`);
  process.exit(2);
}
const args = rest[0] === '--' ? rest.slice(1) : rest;

ensureDependencies();

const child = spawn(process.execPath, ['--import', 'tsx', join('scripts', `${command}.ts`), ...args], {
  cwd: root,
  stdio: 'inherit',
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('error', (error) => {
  console.error(`Could not run scripts/${command}.ts: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));

/** `npm ci` for the server and for the web client (client/) where node_modules is missing or older than package-lock.json. */
function ensureDependencies() {
  installIfStale(root, 'tsx', 'dependencies');
  installIfStale(join(root, 'client'), '@angular/core', 'web client dependencies');
}

function installIfStale(dir, probePackage, what) {
  const lockFile = join(dir, 'package-lock.json');
  const installedLock = join(dir, 'node_modules', '.package-lock.json'); // written by npm after installing
  const installed = existsSync(installedLock) && existsSync(join(dir, 'node_modules', probePackage, 'package.json'));
  if (installed && (!existsSync(lockFile) || statSync(installedLock).mtimeMs >= statSync(lockFile).mtimeMs)) return;

  console.log(installed ? `Installing ${what} (package-lock.json changed)…` : `Installing ${what} (first run)…`);
  const [npmCommand, npmArgs, shell] = npm(['ci']);
  const result = spawnSync(npmCommand, npmArgs, { cwd: dir, stdio: 'inherit', shell });
  if (result.status !== 0) {
    console.error(`\n\`npm ci\` in ${dir} failed (see above). Check access to the npm registry, then run the command again.`);
    process.exit(result.status || 1);
  }
}

/**
 * [command, args, shell] for npm: the npm that launched us when known (npm sets npm_execpath), else npm
 * from PATH (npm.cmd on Windows needs a shell).
 */
function npm(npmArgs) {
  const npmCli = process.env.npm_execpath;
  if (npmCli && /npm-cli\.c?js$/.test(npmCli)) return [process.execPath, [npmCli, ...npmArgs], false];
  return ['npm', npmArgs, process.platform === 'win32'];
}
