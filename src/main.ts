import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { createApp, seedStartupData, StartupLogins } from './app.factory';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config: AppConfig;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`OpenHVX cannot start. ${error.message}\nSee .env.example for every variable and its default.\n`);
    process.exit(78); // EX_CONFIG
  }
  const app = await createApp(config);
  const logins = await seedStartupData(app);
  await app.listen(config.port);
  process.stdout.write(banner(config.port, logins));
}

function banner(port: number, { admin, demo, demoHosts }: StartupLogins): string {
  const adminPassword = admin.generatedPassword ?? (admin.passwordFile ? `(see ${admin.passwordFile})` : '(OPENHVX_ADMIN_PASSWORD)');
  const lines = [`OpenHVX ready at http://localhost:${port}`, `  admin:  ${admin.email}  password: ${adminPassword}`];
  if (admin.generatedPassword) lines.push(`          (generated once; also saved in ${admin.passwordFile})`);
  if (demo) lines.push(`  demo:   tenant ${demo.tenant}  ${demo.email}  password: ${demo.password ?? '(unknown: the demo-password file was removed)'}`);
  if (demoHosts.length > 0) lines.push(`  demo hosts: ${demoHosts.join(', ')} (simulated; npm start runs their agents)`);
  lines.push(`  API docs: http://localhost:${port}/api/docs`);
  return `${lines.join('\n')}\n`;
}

main().catch((error: unknown) => {
  process.stderr.write(`OpenHVX failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
