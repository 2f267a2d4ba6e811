import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FRAME_MARKER_ENV, SCRIPT_NAME_PATTERN } from './host-loop-protocol';
import { HYPERV_DEFAULTS } from './hyperv-driver-config';
import {
  HYPERV_SCRIPTS,
  HypervScript,
  hostFactsParams,
  inventoryParams,
  vmAdoptParams,
  vmCloneParams,
  vmConsolePipeParams,
  vmCreateParams,
  vmDeleteParams,
  vmEditParams,
  vmPowerParams,
  VM_ID_PATTERN,
} from './hyperv-script-params';
import { CMDLET_CATALOG, CmdletSpec, COMMON_PARAMETERS, FORBIDDEN_COMMANDS } from './test-support/hyperv-cmdlets.catalog';
import { CommandUse, FunctionDefinition, scanPowerShell, ScanResult } from './test-support/powershell-command-scanner';

const SCRIPT_DIR = HYPERV_DEFAULTS.scriptDir;
const LIB = join(SCRIPT_DIR, 'lib', 'openhvx-vm.ps1');
const HOST_LOOP = join(SCRIPT_DIR, 'host-loop.ps1');

const read = (file: string) => readFileSync(file, 'utf8');
const topLevelScripts = readdirSync(SCRIPT_DIR).filter((name) => name.endsWith('.ps1'));
const allFiles = [...topLevelScripts.map((name) => join(SCRIPT_DIR, name)), LIB];
const scans = new Map<string, ScanResult>(allFiles.map((file) => [file, scanPowerShell(read(file))]));
const scanOf = (file: string) => scans.get(file)!;

/** A whole-string JS pattern (^...$) as PowerShell must write it: in .NET, $ also matches before a final newline. */
function dotNetWhole(pattern: RegExp): string {
  return `\\A${pattern.source.replace(/^\^/, '').replace(/\$$/, '')}\\z`;
}

/** Functions every script can call: the lib's and the host loop's (PowerShell scoping is dynamic). */
const sharedFunctions = [...scanOf(LIB).functions, ...scanOf(HOST_LOOP).functions];

/** Our functions write objects unless their verb says they only check or change something. */
function functionOutput(name: string): CmdletSpec['output'] {
  return /^(Assert|Remove|Undo|Write|Set)-/i.test(name) ? 'none' : 'always';
}

function specOf(name: string, functions: FunctionDefinition[]): CmdletSpec | undefined {
  const cmdlet = Object.entries(CMDLET_CATALOG).find(([known]) => known.toLowerCase() === name.toLowerCase());
  if (cmdlet) return cmdlet[1];
  const fn = functions.find((f) => f.name.toLowerCase() === name.toLowerCase());
  return fn ? { output: functionOutput(fn.name), parameterSets: { Default: fn.parameters } } : undefined;
}

function writesOutput(command: CommandUse, functions: FunctionDefinition[]): boolean {
  const spec = specOf(command.name, functions);
  if (!spec) return false;
  if (spec.output === 'passthru') return command.parameters.some((p) => p.toLowerCase() === 'passthru');
  return spec.output === 'always';
}

/**
 * Everything the catalog says is wrong with a scanned file: unknown commands, parameters that are not
 * documented, parameters from different parameter sets, output that would leak into the answer.
 */
function catalogProblems(scan: ScanResult, functions: FunctionDefinition[]): string[] {
  const problems = scan.problems.map((p) => `line ${p.line}: ${p.message}`);
  for (const command of scan.commands) {
    if (command.name === '&' || command.name === '.' || command.name === 'exit') continue;
    const spec = specOf(command.name, functions);
    if (!spec) {
      problems.push(`line ${command.line}: ${command.name} is not in the cmdlet catalog`);
      continue;
    }
    const used = command.parameters.map((p) => {
      const alias = Object.entries(spec.aliases ?? {}).find(([a]) => a.toLowerCase() === p.toLowerCase());
      return (alias ? alias[1] : p).toLowerCase();
    });
    const common = COMMON_PARAMETERS.map((p) => p.toLowerCase());
    const sets = Object.entries(spec.parameterSets).map(([set, parameters]) => ({ set, parameters: new Set(parameters.map((p) => p.toLowerCase())) }));
    for (const parameter of used) {
      if (!common.includes(parameter) && !sets.some((s) => s.parameters.has(parameter))) problems.push(`line ${command.line}: ${command.name} has no parameter -${parameter}`);
    }
    const specific = used.filter((p) => !common.includes(p));
    if (specific.every((p) => sets.some((s) => s.parameters.has(p))) && !sets.some((s) => specific.every((p) => s.parameters.has(p)))) {
      problems.push(`line ${command.line}: ${command.name} -${specific.join(' -')} mixes parameter sets`);
    }
    if (command.context === 'statement' && !command.collected) {
      let last = command;
      while (last.next) last = last.next;
      if (writesOutput(last, functions)) problems.push(`line ${command.line}: the output of ${last.name} is not captured and would become part of the script's answer`);
    }
  }
  return problems;
}

describe('agent/scripts', () => {
  it('holds the host loop and exactly the scripts the driver runs', () => {
    expect(topLevelScripts.sort()).toEqual(['host-loop.ps1', ...HYPERV_SCRIPTS.map((s) => `${s}.ps1`)].sort());
    for (const script of HYPERV_SCRIPTS) expect(script).toMatch(SCRIPT_NAME_PATTERN);
  });

  it.each(HYPERV_SCRIPTS)('%s declares param([Parameter(Mandatory)] $Params) and stops on the first error', (script) => {
    const file = join(SCRIPT_DIR, `${script}.ps1`);
    expect(scanOf(file).scriptParameters).toEqual(['Params']);
    expect(read(file)).toMatch(/^param\(\[Parameter\(Mandatory\)\] \$Params\)$/m);
    expect(read(file)).toMatch(/^\$ErrorActionPreference = 'Stop'$/m);
  });

  it.each(allFiles.map((f) => [basename(f), f]))('%s runs no text as code and starts no other process', (_name, file) => {
    const { tokens } = scanOf(file);
    const forbidden = new Set(FORBIDDEN_COMMANDS.map((c) => c.toLowerCase()));
    const offending = tokens.filter(
      (t) =>
        (t.kind === 'word' && (forbidden.has(t.text.toLowerCase()) || /^(InvokeScript|NewScriptBlock|AddScript|CreateNestedPipeline)$/i.test(t.text))) ||
        (t.kind === 'bracket' && /scriptblock|\bpowershell\b|runspace|System\.Diagnostics\.Process/i.test(t.text)) ||
        (t.kind === 'parameter' && /^-(EncodedCommand|enc|ec|Command)$/i.test(t.text)) ||
        (t.kind === 'variable' && /^\$ExecutionContext$/i.test(t.text)),
    );
    expect(offending.map((t) => `line ${t.line}: ${t.text}`)).toEqual([]);
  });

  it.each(allFiles.map((f) => [basename(f), f]))('%s calls only catalogued cmdlets with documented parameters of one parameter set', (_name, file) => {
    const functions = [...sharedFunctions, ...scanOf(file).functions];
    expect(catalogProblems(scanOf(file), functions)).toEqual([]);
  });

  it('only the host loop runs a script file, dot-sources, or exits', () => {
    for (const file of allFiles) {
      const special = scanOf(file).commands.filter((c) => c.name === '&' || c.name === '.' || c.name === 'exit');
      if (file === HOST_LOOP) {
        expect(special.filter((c) => c.name === '&').map((c) => c.parameters)).toEqual([['Params']]);
        expect(special.filter((c) => c.name === '.')).toHaveLength(1);
      } else {
        expect(special.map((c) => `${basename(file)}:${c.line} ${c.name}`)).toEqual([]);
      }
    }
  });

  it('finds VMs by their marker, never by a name a tenant chose (Get-VM -Name reads wildcards)', () => {
    for (const file of allFiles) {
      for (const command of scanOf(file).commands.filter((c) => c.name === 'Get-VM')) {
        expect({ file: basename(file), line: command.line, parameters: command.parameters.filter((p) => p !== 'Id') }).toEqual({ file: basename(file), line: command.line, parameters: [] });
      }
    }
    const filesystem = ['Copy-Item', 'Remove-Item', 'Test-Path', 'Get-ChildItem', 'Get-Item'];
    for (const file of allFiles) {
      for (const command of scanOf(file).commands.filter((c) => filesystem.includes(c.name))) {
        // -Path expands [ ] * ?; every file path in the scripts is data, so -LiteralPath.
        expect(`${basename(file)}:${command.line} ${command.name} -${command.parameters.join(' -')}`).not.toMatch(/ -Path\b/);
      }
    }
  });

  it('the host loop binds only JSON data to an allow-listed script that exists', () => {
    const loop = read(HOST_LOOP);
    expect(loop).toContain(`$frameMarker = $env:${FRAME_MARKER_ENV}`);
    expect(loop).toContain(`$scriptName -cnotmatch '${dotNetWhole(SCRIPT_NAME_PATTERN)}'`);
    expect(loop).toContain('$request = ConvertFrom-Json -InputObject $Line');
    expect(loop).toContain('Test-Path -LiteralPath $scriptPath -PathType Leaf');
    expect(loop).toContain('$output = @(& $scriptPath -Params $request.params)');
    expect(loop).toContain('ConvertTo-Json -InputObject $Frame -Depth 10 -Compress');
    expect(loop).toMatch(/^\$ErrorActionPreference = 'Stop'$/m);
    expect(loop).toMatch(/catch \{\s+return \[ordered\]@\{ id = \$requestId; ok = \$false; error = \(ConvertTo-OpenhvxErrorInfo -ErrorRecord \$_\) \}/);
  });

  it('checks vmIds with the same rule as the driver', () => {
    expect(read(LIB)).toContain(`$OpenhvxVmIdPattern = '${dotNetWhole(VM_ID_PATTERN)}'`);
  });

  describe('what vm-create and vm-clone make', () => {
    const CREATE = join(SCRIPT_DIR, 'vm-create.ps1');
    const CLONE = join(SCRIPT_DIR, 'vm-clone.ps1');
    const uses = (file: string) => scanOf(file).commands.map((c) => [c.name, ...c.parameters.map((p) => `-${p}`)].join(' '));

    it('vm-create differences or copies the image, grows the disk, sets the Secure Boot template, attaches the seed and COM1, starts the VM', () => {
      expect(uses(CREATE)).toEqual(
        expect.arrayContaining([
          'New-VHD -Path -ParentPath -Differencing',
          'Copy-Item -LiteralPath -Destination',
          'Resize-VHD -Path -SizeBytes',
          'Set-VMFirmware -VM -FirstBootDevice -EnableSecureBoot -SecureBootTemplate',
          'Set-OpenhvxSeedIso -Vm -Folder -FileName -Base64',
          'Set-VMComPort -VM -Number -Path',
          'Start-VM -VM',
        ]),
      );
    });

    it('vm-clone gives the copy its own seed and COM1 pipe', () => {
      expect(uses(CLONE)).toEqual(expect.arrayContaining(['Set-OpenhvxSeedIso -Vm -Folder -FileName -Base64', 'Set-VMComPort -VM -Number -Path']));
    });

    it('the seed is written from base64 data into the VM folder and put in a DVD drive', () => {
      expect(uses(LIB)).toEqual(expect.arrayContaining(['Join-Path -Path -ChildPath', 'Add-VMDvdDrive -VM -Path', 'Set-VMDvdDrive -VMDvdDrive -Path']));
      expect(read(LIB)).toContain('[System.IO.File]::WriteAllBytes($path, [System.Convert]::FromBase64String($Base64))');
    });

    it.each([
      ['vm-create', CREATE],
      ['vm-clone', CLONE],
    ])('%s writes the seed only inside the block whose failure rolls everything back', (_name, file) => {
      const lines = read(file).replace(/\r\n/g, '\n').split('\n');
      const tryLine = lines.indexOf('try {') + 1;
      const catchLine = lines.indexOf('} catch {') + 1;
      const commands = scanOf(file).commands;
      const seedLines = commands.filter((c) => c.name === 'Set-OpenhvxSeedIso').map((c) => c.line);
      const undoLines = commands.filter((c) => c.name === 'Undo-OpenhvxCreation').map((c) => c.line);
      expect(tryLine).toBeGreaterThan(0);
      expect(seedLines).toEqual([expect.any(Number)]);
      expect(seedLines[0]).toBeGreaterThan(tryLine);
      expect(seedLines[0]).toBeLessThan(catchLine);
      expect(undoLines).toEqual([expect.any(Number)]);
      expect(undoLines[0]).toBeGreaterThan(catchLine);
    });
  });

  describe('what vm-edit does with a restart', () => {
    const EDIT = join(SCRIPT_DIR, 'vm-edit.ps1');
    const lines = (file: string) => read(file).replace(/\r\n/g, '\n').split('\n');
    /** The commands called between two lines (1-based, exclusive), as `Name -Param ...`, in order. */
    const usesBetween = (file: string, from: number, to: number) =>
      scanOf(file)
        .commands.filter((c) => c.line > from && c.line < to)
        .map((c) => [c.name, ...c.parameters.map((p) => `-${p}`)].join(' '));
    /** The lines of a function in `file`: from its `function` line to its closing brace (alone at the start of a line). */
    const functionSpan = (file: string, name: string): [number, number] => {
      const start = scanOf(file).functions.find((f) => f.name === name)?.line ?? 0;
      expect(start).toBeGreaterThan(0);
      return [start, lines(file).indexOf('}', start) + 1];
    };

    it('asks the guest to shut down, waits for Off up to the bound, and only then turns the VM off', () => {
      const [from, to] = functionSpan(LIB, 'Stop-OpenhvxGuest');
      expect(usesBetween(LIB, from, to)).toEqual([
        'Get-CimInstance -Namespace -ClassName -Filter',
        'Invoke-CimMethod -InputObject -MethodName -Arguments',
        'Get-VM -Id',
        'Start-Sleep -Seconds',
        'Get-VM -Id',
        'Stop-VM -VM -TurnOff -Force',
      ]);
      const body = lines(LIB).slice(from - 1, to - 1).join('\n');
      expect(body).toContain("-ClassName 'Msvm_ShutdownComponent'");
      expect(body).toContain("-MethodName 'InitiateShutdown'");
      expect(body).toContain('$deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)');
      expect(body).toMatch(/while \(\[DateTime\]::UtcNow -lt \$deadline\) \{/);
    });

    it('takes the VM down only for a restart, changes it, starts it again, and on failure starts it again before rethrowing', () => {
      const text = lines(EDIT);
      const tryLine = text.indexOf('try {') + 1;
      const catchLine = text.indexOf('} catch {') + 1;
      const endLine = text.indexOf('}', catchLine) + 1;
      expect(tryLine).toBeGreaterThan(0);
      expect(usesBetween(EDIT, tryLine, catchLine)).toEqual([
        'Stop-OpenhvxGuest -Vm -TimeoutSeconds',
        'Set-VMProcessor -VM -Count',
        'Set-VMMemory -VM -StartupBytes',
        'Resize-VHD -Path -SizeBytes',
        'Start-VM -VM',
      ]);
      expect(text.slice(tryLine, catchLine - 1)).toEqual(expect.arrayContaining(['    if ($restart) { $wentDown = Stop-OpenhvxGuest -Vm $vm -TimeoutSeconds ([int]$Params.ShutdownTimeoutSeconds) }', '    if ($restart) { Start-VM -VM $vm }']));
      expect(usesBetween(EDIT, catchLine, endLine)).toEqual(['Undo-OpenhvxStoppedEdit -Vm -ProcessorCount -MemoryStartupBytes']);
      expect(text.slice(catchLine, endLine)).toEqual(expect.arrayContaining(['    throw $failure']));
      // Only a running VM restarts; a paused or saved one is still VM_MUST_BE_OFF.
      expect(text).toContain("$restart = $needsOffTo.Count -gt 0 -and [bool]$Params.Restart -and $state -eq 'Running'");

      const [from, to] = functionSpan(EDIT, 'Undo-OpenhvxStoppedEdit');
      expect(usesBetween(EDIT, from, to)).toEqual(['Get-VM -Id', 'Set-VMProcessor -VM -Count', 'Set-VMMemory -VM -StartupBytes', 'Start-VM -VM']);
    });
  });

  describe('what vm-adopt does', () => {
    const ADOPT = join(SCRIPT_DIR, 'vm-adopt.ps1');
    const uses = (file: string) => scanOf(file).commands.map((c) => [c.name, ...c.parameters.map((p) => `-${p}`)].join(' '));

    it('finds the VM by its Hyper-V id among all VMs, refuses a vmId another VM carries, and writes the marker into its notes', () => {
      expect(uses(ADOPT)).toEqual(
        expect.arrayContaining(['Get-VM', 'Test-OpenhvxMarker -Notes -VmId', 'ConvertTo-OpenhvxMarkedNotes -Notes -VmId', 'Set-VM -VM -Notes', 'Get-OpenhvxVmRecord -Vm']),
      );
      expect(read(ADOPT)).toContain('if (-not [guid]::TryParse([string]$Params.HypervisorId, [ref]$hypervisorId)) {');
      expect(read(ADOPT)).toContain('if ([guid]$candidate.Id -eq $hypervisorId) {');
      // The marker line the other scripts find the VM by, and the one the driver reads back.
      expect(read(LIB)).toContain('return ((@("openhvx:$VmId") + $kept) -join "`r`n").TrimEnd()');
      expect(read(LIB)).toContain("if ($noteLine.Trim() -clike 'openhvx:*') { continue }");
    });

    it('points COM1 at the console pipe only while the VM is off', () => {
      const text = read(ADOPT).replace(/\r\n/g, '\n').split('\n');
      const ifOff = text.indexOf("if ([string]$vm.State -eq 'Off') {") + 1;
      const end = text.indexOf('}', ifOff) + 1;
      const comPorts = scanOf(ADOPT).commands.filter((c) => c.name === 'Set-VMComPort').map((c) => c.line);
      expect(ifOff).toBeGreaterThan(0);
      expect(comPorts).toEqual([ifOff + 1]);
      expect(end).toBe(ifOff + 2);
    });
  });

  describe('the params the driver sends are the params each script reads', () => {
    const create = vmCreateParams(
      { vmId: 'vm-1', name: 'web', imageFileName: 'ubuntu.vhdx', generation: 2, vcpu: 2, memoryMiB: 2048, diskGiB: 20, start: true },
      { datastorePath: 'D:\\VMs', imageDirs: ['D:\\Images'], diskProvisioning: 'copy', defaultSwitch: null, seedIso: Buffer.from('iso'), reserveGiB: 10 },
    );
    const datastores = [{ name: 'd', path: 'D:\\VMs' }];
    const sent: Record<HypervScript, Record<string, unknown>> = {
      'host-facts': hostFactsParams(datastores),
      inventory: inventoryParams(['D:\\Images']),
      'vm-create': create,
      'vm-edit': vmEditParams({ vmId: 'vm-1', name: 'web', vcpu: 4, restart: true }, 120_000),
      'vm-clone': vmCloneParams({ source: { vmId: 'vm-1', name: 'web' }, target: { vmId: 'vm-2', name: 'web2', start: false } }, datastores, 10, Buffer.from('iso')),
      'vm-power': vmPowerParams({ vmId: 'vm-1', name: 'web', action: 'start' }),
      'vm-delete': vmDeleteParams({ vmId: 'vm-1', name: 'web', force: true }, { datastores, imageDirs: ['D:\\Images'] }),
      'vm-adopt': vmAdoptParams({ vmId: 'vm-1', name: 'web', hypervisorId: '5d3a7f0e-8f1c-4a3e-9b52-2f0c1a6d9e01' }),
      'vm-console-pipe': vmConsolePipeParams('vm-1'),
    };

    it.each(HYPERV_SCRIPTS)('%s', (script) => {
      const code = scanOf(join(SCRIPT_DIR, `${script}.ps1`)).tokens.filter((t) => t.kind === 'variable' || t.kind === 'word' || t.kind === 'operator');
      const read = new Set<string>();
      code.forEach((token, index) => {
        if (token.kind === 'variable' && token.text === '$Params' && code[index + 1]?.text === '.' && code[index + 2]?.kind === 'word') read.add(code[index + 2].text.split('.')[0]);
      });
      expect([...read].sort()).toEqual(Object.keys(sent[script]).sort());
    });
  });
});

describe('the catalog check itself', () => {
  const check = (source: string) => catalogProblems(scanPowerShell(source), []);

  it('accepts documented parameters of one parameter set', () => {
    expect(check('Stop-VM -VM $vm -TurnOff -Force -ErrorAction Stop')).toEqual([]);
    expect(check("$null = New-VHD -Path $p -ParentPath $parent -Differencing")).toEqual([]);
  });

  it('refuses a parameter the cmdlet does not have', () => {
    expect(check('Stop-VM -VM $vm -Kill')).toEqual(['line 1: Stop-VM has no parameter -kill']);
    expect(check('Set-VMComPort -VMName $n -Number 1 -PipeName $p')).toEqual(['line 1: Set-VMComPort has no parameter -pipename']);
  });

  it('refuses a cmdlet that is not in the catalog', () => {
    expect(check('Remove-VMSavedState -VM $vm')).toEqual(['line 1: Remove-VMSavedState is not in the cmdlet catalog']);
  });

  it('refuses parameters of two parameter sets in one call', () => {
    expect(check('Stop-VM -VM $vm -ComputerName h1')).toEqual(['line 1: Stop-VM -vm -computername mixes parameter sets']);
    expect(check('$x = New-VHD -Path $p -SizeBytes 1 -Fixed -Differencing')).toEqual(['line 1: New-VHD -path -sizebytes -fixed -differencing mixes parameter sets']);
  });

  it('refuses output that would leak into the script answer', () => {
    expect(check('New-Item -ItemType Directory -Path $p')).toEqual(['line 1: the output of New-Item is not captured and would become part of the script\'s answer']);
    expect(check('Get-VM | Sort-Object -Property Name')).toHaveLength(1);
    expect(check('Start-VM -VM $vm -Passthru')).toHaveLength(1);
    expect(check('$null = New-Item -ItemType Directory -Path $p')).toEqual([]);
    expect(check('Start-VM -VM $vm')).toEqual([]);
    expect(check('$all = @(foreach ($v in @(Get-VM)) { Get-VMHardDiskDrive -VM $v })')).toEqual([]);
  });

  it('refuses what it cannot check: aliases, splatting, commands in strings', () => {
    expect(check('gci -Path C:\\')).toEqual(["line 1: 'gci' is not a Verb-Noun command name (aliases are not allowed)", 'line 1: gci is not in the cmdlet catalog']);
    expect(check('Get-VM | ? { $_.State -eq "Running" }')).toContainEqual(expect.stringContaining("'?' after a pipe"));
    expect(check('Stop-VM @arguments')).toContainEqual(expect.stringContaining('splatting'));
    expect(check('$m = "now $(Get-Date -Format o)"')).toContainEqual(expect.stringContaining('a command inside a string'));
  });

  it('reads multi-line scripts: keywords, hashtables, functions and their params', () => {
    const scan = scanPowerShell(
      [
        'function Get-Thing {',
        '    param([Parameter(Mandatory)] [string] $Name, [int] $Count = 2)',
        '    $table = @{ Name = $Name; Size = (Get-VHD -Path $Name).Size }',
        '    if (-not (Test-Path -LiteralPath $Name)) { return $null } else { return $table }',
        '}',
        'foreach ($vm in @(Get-VM)) { Get-Thing -Name $vm.Name -Count 3 }',
      ].join('\n'),
    );
    expect(scan.functions).toEqual([{ name: 'Get-Thing', parameters: ['Name', 'Count'], line: 1 }]);
    expect(scan.problems).toEqual([]);
    expect(scan.commands.map((c) => `${c.name}:${c.context}${c.collected ? ':collected' : ''}`)).toEqual([
      'Get-VHD:grouped:collected',
      'Test-Path:grouped:collected',
      'Get-VM:grouped:collected',
      'Get-Thing:statement',
    ]);
    expect(catalogProblems(scan, scan.functions)).toEqual(["line 6: the output of Get-Thing is not captured and would become part of the script's answer"]);
  });
});
