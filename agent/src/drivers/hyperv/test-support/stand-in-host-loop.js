#!/usr/bin/env node
'use strict';
/**
 * A stand-in for agent/scripts/host-loop.ps1, for tests on machines without PowerShell or Hyper-V.
 * It speaks the same line protocol, including what a real host does to it: noise lines on stdout,
 * slow answers, crashes, broken answers.
 *
 *   node stand-in-host-loop.js <scriptDir>
 *
 * Like the real loop it reads OPENHVX_FRAME_MARKER, answers `<marker>{"ready":true,...}`, then one
 * request per line `{id, script, params}`, one at a time: a script name must match ^[a-z0-9-]+$ and
 * `<scriptDir>/<script>.ps1` must exist, else the answer is an error with the same ids as the real loop.
 *
 * What each script does comes from STAND_IN_SCENARIO (a JSON file, read again for every request):
 *   { "startup": { "delayMs", "noise": [..], "fail": {message, category, fullyQualifiedErrorId}, "hang", "crash" },
 *     "scripts": { "<name>": behaviour | [behaviour, ...] } }
 * With a list, the n-th call of the script (counted in STAND_IN_LOG, so across restarts) uses the n-th
 * behaviour and the last one repeats.
 * behaviour: { delayMs, noise: [lines], partialNoise: "text without newline", stderr: "text",
 *   then one of: result, echo (result = {script, params}), pid (result = process id),
 *   error: {message, category, fullyQualifiedErrorId}, crash: exitCode, hang, malformed: "text",
 *   wrongId, split (the answer is written in two chunks) }.  Default: echo.
 * Every request line is appended, raw and parsed, to STAND_IN_LOG (JSON lines) when set.
 */
const fs = require('node:fs');
const path = require('node:path');
const readline = require('node:readline');

const scriptDir = process.argv[2];
const marker = process.env.OPENHVX_FRAME_MARKER || '';
if (!/^[A-Za-z0-9-]{16,128}$/.test(marker)) {
  process.stderr.write('OPENHVX_FRAME_MARKER is missing or malformed\n');
  process.exit(2);
}

const calls = new Map();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const write = (text) => new Promise((resolve) => process.stdout.write(text, () => resolve()));
const frameText = (frame) => `\n${marker}${JSON.stringify(frame)}\n`;
// A pending promise alone does not keep Node running; a timer does, like a script stuck in a cmdlet.
const hang = () => new Promise(() => setInterval(() => undefined, 60_000));

function scenario() {
  const file = process.env.STAND_IN_SCENARIO;
  if (!file || !fs.existsSync(file)) return {};
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** Calls of `script` before this one; counted in the request log when there is one, so across restarts. */
function previousCalls(script) {
  const log = process.env.STAND_IN_LOG;
  if (!log || !fs.existsSync(log)) {
    const count = calls.get(script) || 0;
    calls.set(script, count + 1);
    return count;
  }
  const logged = fs.readFileSync(log, 'utf8').split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line));
  return logged.filter((entry) => entry.request && entry.request.script === script).length - 1;
}

function behaviourFor(script) {
  const configured = (scenario().scripts || {})[script];
  const count = previousCalls(script);
  if (configured === undefined) return { echo: true };
  if (!Array.isArray(configured)) return configured;
  return configured[Math.min(count, configured.length - 1)];
}

function failure(id, fullyQualifiedErrorId, message) {
  return { id, ok: false, error: { message, category: 'InvalidOperation', fullyQualifiedErrorId, exceptionType: 'System.InvalidOperationException' } };
}

async function answer(line) {
  if (process.env.STAND_IN_LOG) {
    let parsed = null;
    try {
      parsed = JSON.parse(line);
    } catch {
      parsed = null;
    }
    fs.appendFileSync(process.env.STAND_IN_LOG, `${JSON.stringify({ raw: line, request: parsed })}\n`);
  }
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return write(frameText(failure(null, 'System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand', error.message)));
  }
  const id = String(request.id);
  const script = String(request.script);
  if (!/^[a-z0-9-]+$/.test(script)) return write(frameText(failure(id, 'ScriptNotAllowed', `script name '${script}' is not allowed`)));
  if (!fs.existsSync(path.join(scriptDir, `${script}.ps1`))) return write(frameText(failure(id, 'ScriptNotFound', `there is no script named '${script}'`)));

  const behaviour = behaviourFor(script);
  if (behaviour.delayMs) await sleep(behaviour.delayMs);
  for (const noise of behaviour.noise || []) await write(`${noise}\n`);
  if (behaviour.partialNoise) await write(behaviour.partialNoise);
  if (behaviour.stderr) process.stderr.write(behaviour.stderr);
  if (behaviour.crash !== undefined) {
    await sleep(20);
    process.exit(behaviour.crash);
  }
  if (behaviour.hang) return hang();
  if (behaviour.malformed !== undefined) return write(`\n${marker}${behaviour.malformed}\n`);

  let frame;
  if (behaviour.error) frame = { id, ok: false, error: behaviour.error };
  else if (behaviour.pid) frame = { id, ok: true, result: process.pid };
  else if ('result' in behaviour) frame = { id, ok: true, result: behaviour.result };
  else frame = { id, ok: true, result: { script, params: request.params } };
  if (behaviour.wrongId) frame.id = `${id}-other`;
  const text = frameText(frame);
  if (!behaviour.split) return write(text);
  const half = Math.floor(text.length / 2);
  await write(text.slice(0, half));
  await sleep(30);
  return write(text.slice(half));
}

async function main() {
  const startup = scenario().startup || {};
  if (startup.delayMs) await sleep(startup.delayMs);
  for (const noise of startup.noise || []) await write(`${noise}\n`);
  if (startup.crash !== undefined) process.exit(startup.crash);
  if (startup.hang) return hang();
  if (startup.fail) {
    await write(frameText({ ready: false, error: startup.fail }));
    process.exit(3);
  }
  await write(frameText({ ready: true, psVersion: 'stand-in', pid: process.pid }));

  // One request at a time, in order, like the real loop's ReadLine loop.
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim().length === 0) continue;
    await answer(line);
  }
  process.exit(0);
}

main().catch((error) => {
  process.stderr.write(`stand-in failed: ${error.stack}\n`);
  process.exit(1);
});
