<#
  Functions the OpenHVX scripts share. host-loop.ps1 dot-sources this file once, so every script the loop
  runs sees them. Not a script the loop can run: it lives in a sub-folder, out of the allow-list's reach.

  Conventions of every OpenHVX script:
  - An OpenHVX VM is found by the marker line `openhvx:<vmId>` in its Notes, never by name: names are
    chosen by tenants, are not unique to Hyper-V, and Get-VM -Name reads [ ] * ? as wildcards.
  - Expected failures are thrown with New-OpenhvxError, whose error id is the protocol's error code
    (NOT_FOUND, VM_MUST_BE_OFF...); the agent maps that id, not the message.
  - A script returns exactly one object; functions here return theirs with `return`.
#>

# A vmId becomes a folder name and part of a pipe name; the TypeScript driver checks the same rule.
# \A and \z, not ^ and $: in .NET, $ also matches before a final newline.
$OpenhvxVmIdPattern = '\A[A-Za-z0-9][A-Za-z0-9_.-]{0,127}\z'
$OpenhvxPipePattern = '\A\\\\\.\\pipe\\openhvx-[A-Za-z0-9][A-Za-z0-9_.-]{0,127}-com1\z'

function New-OpenhvxError {
    param([Parameter(Mandatory)] [string] $Code, [Parameter(Mandatory)] [string] $Message)
    $exception = [System.InvalidOperationException]::new($Message)
    return [System.Management.Automation.ErrorRecord]::new($exception, $Code, [System.Management.Automation.ErrorCategory]::InvalidOperation, $null)
}

function Assert-OpenhvxVmId {
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $VmId)
    if ($VmId -cnotmatch $OpenhvxVmIdPattern) {
        throw (New-OpenhvxError -Code 'INVALID_PARAMS' -Message "'$VmId' is not a valid OpenHVX VM id")
    }
}

function Assert-OpenhvxPipePath {
    param([Parameter(Mandatory)] [AllowEmptyString()] [string] $PipePath)
    if ($PipePath -cnotmatch $OpenhvxPipePattern) {
        throw (New-OpenhvxError -Code 'INVALID_PARAMS' -Message "'$PipePath' is not an OpenHVX console pipe")
    }
}

function Test-OpenhvxMarker {
    param([string] $Notes, [Parameter(Mandatory)] [string] $VmId)
    if ([string]::IsNullOrEmpty($Notes)) { return $false }
    $marker = "openhvx:$VmId"
    foreach ($noteLine in ($Notes -split "`r?`n")) {
        if ($noteLine.Trim() -ceq $marker) { return $true }
    }
    return $false
}

function ConvertTo-OpenhvxMarkedNotes {
    param([AllowNull()] [AllowEmptyString()] [string] $Notes, [Parameter(Mandatory)] [string] $VmId)
    # The marker goes first, on a line of its own; the operator's own lines stay as they were. A marker for
    # another vmId goes: a VM answers to one OpenHVX VM id only.
    $kept = @(foreach ($noteLine in ([string]$Notes -split "`r?`n")) {
        if ($noteLine.Trim() -clike 'openhvx:*') { continue }
        $noteLine
    })
    return ((@("openhvx:$VmId") + $kept) -join "`r`n").TrimEnd()
}

function Find-OpenhvxVm {
    param([Parameter(Mandatory)] [string] $VmId)
    $found = @(foreach ($candidate in @(Get-VM)) {
        if (Test-OpenhvxMarker -Notes $candidate.Notes -VmId $VmId) { $candidate }
    })
    if ($found.Count -gt 1) {
        throw (New-OpenhvxError -Code 'INVALID_STATE' -Message "$($found.Count) VMs on this host carry the marker openhvx:$VmId; remove it from the copies")
    }
    if ($found.Count -eq 0) { return $null }
    return $found[0]
}

# A job run again (a retry after a lost answer) finds the VM it already made: answer that VM rather than fail or duplicate it.
function Find-OpenhvxRetriedVm {
    param([Parameter(Mandatory)] [string] $VmId, [Parameter(Mandatory)] [string] $Name)
    $existing = Find-OpenhvxVm -VmId $VmId
    if ($null -eq $existing) { return $null }
    if ($existing.Name -ne $Name) {
        throw (New-OpenhvxError -Code 'INVALID_PARAMS' -Message "vmId $VmId already belongs to VM '$($existing.Name)', not '$Name'")
    }
    return (Get-OpenhvxVmRecord -Vm $existing)
}

function Get-OpenhvxRequiredVm {
    param([Parameter(Mandatory)] [string] $VmId)
    $vm = Find-OpenhvxVm -VmId $VmId
    if ($null -eq $vm) {
        throw (New-OpenhvxError -Code 'NOT_FOUND' -Message "no VM with marker openhvx:$VmId on this host")
    }
    return $vm
}

function Assert-OpenhvxNameFree {
    param([Parameter(Mandatory)] [string] $Name)
    # Compared one by one: Get-VM -Name would read a tenant's [ ] * ? as wildcards. -eq ignores case, as Windows does.
    foreach ($candidate in @(Get-VM)) {
        if ($candidate.Name -eq $Name) {
            throw (New-OpenhvxError -Code 'NAME_TAKEN' -Message "a VM named '$($candidate.Name)' already exists on this host")
        }
    }
}

function Assert-OpenhvxSettled {
    param([Parameter(Mandatory)] $Vm)
    $state = [string]$Vm.State
    if (@('Off', 'Running', 'Paused', 'Saved') -notcontains $state) {
        # Another operation is under way (starting, saving...): the same request can succeed once it ends.
        throw (New-OpenhvxError -Code 'VM_BUSY' -Message "VM '$($Vm.Name)' is $state; try again when the running operation ends")
    }
}

function Stop-OpenhvxGuest {
    param([Parameter(Mandatory)] $Vm, [Parameter(Mandatory)] [int] $TimeoutSeconds)
    # Answers how the VM went off: 'shutdown' (its guest shut down) or 'turn-off'.
    #
    # Not Stop-VM without -TurnOff: it waits for the guest with no limit of its own, and bounding it would
    # take -AsJob, a background job, which these scripts do not start. What Stop-VM asks the guest goes
    # through the shutdown integration service (Msvm_ShutdownComponent.InitiateShutdown), which returns at
    # once; so the script asks that way, waits for Off up to the bound, and then turns the VM off.
    $id = [string]([guid]$Vm.Id)
    $asked = $false
    try {
        $components = @(Get-CimInstance -Namespace 'root\virtualization\v2' -ClassName 'Msvm_ShutdownComponent' -Filter "SystemName = '$id'")
        if ($components.Count -gt 0) {
            $answer = Invoke-CimMethod -InputObject $components[0] -MethodName 'InitiateShutdown' -Arguments @{ Force = $true; Reason = 'OpenHVX: a processor or memory change needs the VM off' }
            # 0: shutting down; 4096: a job that shuts it down was started.
            $asked = @(0, 4096) -contains [int]$answer.ReturnValue
        }
    } catch {
        # The guest cannot be asked (no integration services, or they do not answer): only turning it off is left.
        $asked = $false
    }
    if ($asked) {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ([DateTime]::UtcNow -lt $deadline) {
            if ([string](Get-VM -Id $Vm.Id).State -eq 'Off') { return 'shutdown' }
            Start-Sleep -Seconds 2
        }
        # The guest may have got there during the last pause.
        if ([string](Get-VM -Id $Vm.Id).State -eq 'Off') { return 'shutdown' }
    }
    Stop-VM -VM $Vm -TurnOff -Force
    return 'turn-off'
}

function Get-OpenhvxHardDiskDrives {
    param([Parameter(Mandatory)] $Vm)
    # Boot disk first: IDE before SCSI, then by controller and location.
    return @(Get-VMHardDiskDrive -VM $Vm | Sort-Object -Property ControllerType, ControllerNumber, ControllerLocation)
}

function ConvertTo-OpenhvxVmRecord {
    param(
        [Parameter(Mandatory)] $Vm,
        [AllowEmptyCollection()] [object[]] $Drives = @(),
        [AllowEmptyCollection()] [object[]] $Adapters = @()
    )
    $disks = @(foreach ($drive in $Drives) {
        $size = 0
        $fileSize = 0
        if (-not [string]::IsNullOrEmpty($drive.Path)) {
            try {
                $vhd = Get-VHD -Path $drive.Path
                $size = $vhd.Size
                $fileSize = $vhd.FileSize
            } catch {
                # A missing or locked disk file must not hide the VM from the inventory: it reports 0 bytes.
                $size = 0
            }
        }
        [ordered]@{ Path = [string]$drive.Path; Size = [int64]$size; FileSize = [int64]$fileSize }
    })
    $nics = @(foreach ($adapter in $Adapters) {
        $addresses = @()
        if ($null -ne $adapter.IPAddresses) { $addresses = @(foreach ($address in $adapter.IPAddresses) { [string]$address }) }
        [ordered]@{ SwitchName = $adapter.SwitchName; MacAddress = [string]$adapter.MacAddress; IPAddresses = $addresses }
    })
    $uptime = 0
    if ($null -ne $Vm.Uptime) { $uptime = [int64][math]::Floor($Vm.Uptime.TotalSeconds) }
    return [ordered]@{
        Id = [string]$Vm.Id
        Name = [string]$Vm.Name
        State = [string]$Vm.State
        Generation = [int]$Vm.Generation
        ProcessorCount = [int]$Vm.ProcessorCount
        MemoryStartup = [int64]$Vm.MemoryStartup
        MemoryAssigned = [int64]$Vm.MemoryAssigned
        UptimeSeconds = $uptime
        Notes = [string]$Vm.Notes
        Disks = $disks
        Nics = $nics
    }
}

function Get-OpenhvxVmRecord {
    param([Parameter(Mandatory)] $Vm)
    # Read again: the object a script holds still shows the VM as it was before the script's own changes.
    $fresh = Get-VM -Id $Vm.Id
    return (ConvertTo-OpenhvxVmRecord -Vm $fresh -Drives @(Get-OpenhvxHardDiskDrives -Vm $fresh) -Adapters @(Get-VMNetworkAdapter -VM $fresh))
}

function Resolve-OpenhvxImage {
    param([Parameter(Mandatory)] [string] $FileName, [AllowEmptyCollection()] [string[]] $ImageDirs = @())
    # A file name, never a path: a request must not pick a disk outside the image folders.
    if ($FileName -notmatch '^[^\\/:*?"<>|]+\.vhdx$' -or $FileName.Contains('..')) {
        throw (New-OpenhvxError -Code 'INVALID_PARAMS' -Message "'$FileName' is not an image file name")
    }
    foreach ($imageDir in $ImageDirs) {
        $candidate = Join-Path -Path $imageDir -ChildPath $FileName
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }
    throw (New-OpenhvxError -Code 'IMAGE_NOT_FOUND' -Message "image $FileName is in none of the image folders ($($ImageDirs -join '; '))")
}

function Resolve-OpenhvxSwitch {
    param([AllowNull()] [AllowEmptyString()] [string] $SwitchName)
    $switches = @(Get-VMSwitch | Sort-Object -Property Name)
    if ([string]::IsNullOrEmpty($SwitchName)) {
        # No switch asked for: the first by name, as the sim driver does; none at all leaves the NIC unplugged.
        if ($switches.Count -eq 0) { return $null }
        return [string]$switches[0].Name
    }
    foreach ($candidate in $switches) {
        if ($candidate.Name -eq $SwitchName) { return [string]$candidate.Name }
    }
    throw (New-OpenhvxError -Code 'INVALID_PARAMS' -Message "there is no virtual switch named '$SwitchName' on this host")
}

function Assert-OpenhvxProcessorCount {
    param([Parameter(Mandatory)] [int] $Count)
    $logical = [int](Get-VMHost).LogicalProcessorCount
    if ($Count -gt $logical) {
        throw (New-OpenhvxError -Code 'INVALID_PARAMS' -Message "$Count virtual processors exceed the host's $logical logical processors")
    }
}

function Get-OpenhvxVolumeSpace {
    param([Parameter(Mandatory)] [string] $Path, [AllowEmptyCollection()] [object[]] $Volumes = @())
    # Win32_Volume names every mount point (C:\, C:\ClusterStorage\Volume1\), so the longest name that
    # starts the path is the volume holding it. A share (\\server\share) matches none and reports 0.
    $target = $Path.TrimEnd('\') + '\'
    $best = $null
    $bestLength = 0
    foreach ($volume in $Volumes) {
        $root = [string]$volume.Name
        if ($root.Length -eq 0) { continue }
        if (-not $root.EndsWith('\')) { $root = $root + '\' }
        if ($target.StartsWith($root, [System.StringComparison]::OrdinalIgnoreCase) -and $root.Length -gt $bestLength) {
            $best = $volume
            $bestLength = $root.Length
        }
    }
    if ($null -eq $best) { return [ordered]@{ Size = [int64]0; SizeRemaining = [int64]0 } }
    return [ordered]@{ Size = [int64]$best.Capacity; SizeRemaining = [int64]$best.FreeSpace }
}

function Assert-OpenhvxSpace {
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [int64] $NeededBytes, [Parameter(Mandatory)] [int64] $ReserveBytes)
    $space = Get-OpenhvxVolumeSpace -Path $Path -Volumes @(Get-CimInstance -ClassName Win32_Volume)
    # Unknown space (a share) is not a reason to refuse; a full disk is reported by the copy itself.
    if ($space.Size -le 0) { return }
    if ($space.SizeRemaining - $NeededBytes -lt $ReserveBytes) {
        $freeGiB = [math]::Round($space.SizeRemaining / 1GB, 1)
        $neededGiB = [math]::Round(($NeededBytes + $ReserveBytes) / 1GB, 1)
        throw (New-OpenhvxError -Code 'INSUFFICIENT_CAPACITY' -Message "$Path has $freeGiB GiB free; this needs $neededGiB GiB including the datastore reserve")
    }
}

function Remove-OpenhvxLeftovers {
    param([Parameter(Mandatory)] [string] $VmId, [Parameter(Mandatory)] [string] $Folder)
    # A create or clone killed half-way (agent or host restart) can leave its VM still named after the vmId,
    # without the marker, and its folder: both are this job's own, so a re-run clears them first.
    foreach ($candidate in @(Get-VM)) {
        $path = ([string]$candidate.Path).TrimEnd('\')
        $inFolder = $path -eq $Folder -or $path.StartsWith($Folder + '\', [System.StringComparison]::OrdinalIgnoreCase)
        $ours = $candidate.Name -ceq $VmId -and [string]::IsNullOrEmpty($candidate.Notes) -and $inFolder
        if (-not $ours) { continue }
        if ([string]$candidate.State -ne 'Off') { Stop-VM -VM $candidate -TurnOff -Force }
        Remove-VM -VM $candidate -Force
    }
    if (Test-Path -LiteralPath $Folder) { Remove-Item -LiteralPath $Folder -Recurse -Force }
}

function Set-OpenhvxSeedIso {
    param([Parameter(Mandatory)] $Vm, [Parameter(Mandatory)] [string] $Folder, [Parameter(Mandatory)] [string] $FileName, [Parameter(Mandatory)] [string] $Base64)
    # A file name, never a path: the seed belongs in the VM's own folder, which a rollback or vm-delete removes.
    if ($FileName -cnotmatch '\A[A-Za-z0-9_-]+\.iso\z') {
        throw (New-OpenhvxError -Code 'INVALID_PARAMS' -Message "'$FileName' is not a seed ISO file name")
    }
    $path = Join-Path -Path $Folder -ChildPath $FileName
    # The agent builds the ISO; its bytes arrive as base64 data like every other parameter. A full path,
    # because .NET does not know PowerShell's current location.
    [System.IO.File]::WriteAllBytes($path, [System.Convert]::FromBase64String($Base64))
    # A generation 1 VM may already have an empty DVD drive (IDE); use it rather than add a second one.
    $drives = @(Get-VMDvdDrive -VM $Vm)
    if ($drives.Count -gt 0) {
        Set-VMDvdDrive -VMDvdDrive $drives[0] -Path $path
    } else {
        Add-VMDvdDrive -VM $Vm -Path $path
    }
}

function Undo-OpenhvxCreation {
    param([AllowNull()] $Vm, [Parameter(Mandatory)] [string] $Folder)
    # Best effort, step by step: the error that made the job fail is the one to report, not a cleanup error.
    if ($null -ne $Vm) {
        try { Stop-VM -VM $Vm -TurnOff -Force } catch { }
        try { Remove-VM -VM $Vm -Force } catch { }
    }
    # The VM's disks and its seed ISO are all in its folder.
    try { if (Test-Path -LiteralPath $Folder) { Remove-Item -LiteralPath $Folder -Recurse -Force } } catch { }
}
