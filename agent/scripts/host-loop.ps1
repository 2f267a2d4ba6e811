<#
  The OpenHVX host loop: the one long-lived PowerShell process of the agent's hyperv driver.

  Started as `powershell.exe -NoLogo -NoProfile -NonInteractive -ExecutionPolicy Bypass -File host-loop.ps1`
  with OPENHVX_FRAME_MARKER in its environment. It reads one JSON request per line on stdin,
  {"id":"r1","script":"vm-power","params":{...}}, runs <this folder>\<script>.ps1 -Params <params>, and
  answers each request with one line on stdout:
      <marker>{"id":"r1","ok":true,"result":...}
      <marker>{"id":"r1","ok":false,"error":{"message":...,"category":...,"fullyQualifiedErrorId":...,"exceptionType":...}}
  Once ready it writes <marker>{"ready":true,...}; if it cannot load Hyper-V, <marker>{"ready":false,"error":...}.

  Why it is built this way:
  - Request parameters only ever travel as JSON data bound to -Params. No part of a request is parsed as
    PowerShell, so a VM name such as  x'; Remove-VM -Name * -Force; '  stays a string. This is also why the
    loop is started with -File and not -Command -: with -Command -, PowerShell itself reads stdin as code.
  - Only a script whose name matches ^[a-z0-9-]+$ and that exists next to this file can run: a request
    cannot reach another folder or an arbitrary command. (\A and \z below: in .NET, $ also matches
    before a final newline.)
  - Cmdlet warnings and Write-Host output share stdout and may repeat tenant-chosen names; only a line
    that starts with the marker (random per session, unknown to tenants) is taken as an answer.
  - stdin and stdout are opened as UTF-8 streams of their own: the console code page a Windows service
    runs with would mangle non-ASCII VM names.
  - The session stays up between requests because starting PowerShell and loading Hyper-V take seconds.
#>
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

$frameMarker = $env:OPENHVX_FRAME_MARKER
if ([string]::IsNullOrEmpty($frameMarker) -or $frameMarker -cnotmatch '\A[A-Za-z0-9-]{16,128}\z') {
    [Console]::Error.WriteLine('OPENHVX_FRAME_MARKER is missing or malformed')
    exit 2
}

$utf8 = [System.Text.UTF8Encoding]::new($false)
$requestReader = [System.IO.StreamReader]::new([Console]::OpenStandardInput(), $utf8)
$frameWriter = [System.IO.StreamWriter]::new([Console]::OpenStandardOutput(), $utf8)
$frameWriter.AutoFlush = $true

function Write-OpenhvxFrame {
    param([Parameter(Mandatory)] $Frame)
    $json = ConvertTo-Json -InputObject $Frame -Depth 10 -Compress
    # The leading newline ends any partial line a script left on stdout, so the marker starts a line.
    $frameWriter.Write("`n" + $frameMarker + $json + "`n")
}

function ConvertTo-OpenhvxErrorInfo {
    param([Parameter(Mandatory)] [System.Management.Automation.ErrorRecord] $ErrorRecord)
    return [ordered]@{
        message = [string]$ErrorRecord.Exception.Message
        category = [string]$ErrorRecord.CategoryInfo.Category
        fullyQualifiedErrorId = [string]$ErrorRecord.FullyQualifiedErrorId
        exceptionType = [string]$ErrorRecord.Exception.GetType().FullName
    }
}

function Invoke-OpenhvxRequest {
    param([Parameter(Mandatory)] [string] $Line)
    $requestId = $null
    try {
        $request = ConvertFrom-Json -InputObject $Line
        $requestId = [string]$request.id
        $scriptName = [string]$request.script
        if ($scriptName -cnotmatch '\A[a-z0-9-]+\z') {
            throw (New-OpenhvxError -Code 'ScriptNotAllowed' -Message "script name '$scriptName' is not allowed")
        }
        $scriptPath = Join-Path -Path $PSScriptRoot -ChildPath "$scriptName.ps1"
        if (-not (Test-Path -LiteralPath $scriptPath -PathType Leaf)) {
            throw (New-OpenhvxError -Code 'ScriptNotFound' -Message "there is no script named '$scriptName'")
        }
        # The request's params object is bound as data; it is never turned into script text.
        $output = @(& $scriptPath -Params $request.params)
        if ($output.Count -gt 1) {
            # A cmdlet whose output a script forgot to capture would otherwise reach the agent as its answer.
            throw (New-OpenhvxError -Code 'ScriptEmittedManyObjects' -Message "script '$scriptName' wrote $($output.Count) objects; a script answers with exactly one")
        }
        $result = $null
        if ($output.Count -eq 1) { $result = $output[0] }
        return [ordered]@{ id = $requestId; ok = $true; result = $result }
    } catch {
        return [ordered]@{ id = $requestId; ok = $false; error = (ConvertTo-OpenhvxErrorInfo -ErrorRecord $_) }
    }
}

try {
    # Loaded once for the session; also makes Hyper-V's Get-VM win over other modules' (VMware PowerCLI).
    Import-Module -Name Hyper-V
    . (Join-Path -Path $PSScriptRoot -ChildPath 'lib\openhvx-vm.ps1')
    # Windows PowerShell 5.1 serialises some arrays as {"value":[...],"Count":n} because of this type data.
    Remove-TypeData -TypeName System.Array -ErrorAction SilentlyContinue
} catch {
    Write-OpenhvxFrame -Frame ([ordered]@{ ready = $false; error = (ConvertTo-OpenhvxErrorInfo -ErrorRecord $_) })
    exit 3
}

Write-OpenhvxFrame -Frame ([ordered]@{ ready = $true; psVersion = [string]$PSVersionTable.PSVersion; pid = $PID })

while ($true) {
    $line = $requestReader.ReadLine()
    # The agent closes stdin to stop the session.
    if ($null -eq $line) { break }
    if ($line.Trim().Length -eq 0) { continue }
    Write-OpenhvxFrame -Frame (Invoke-OpenhvxRequest -Line $line)
}
exit 0
