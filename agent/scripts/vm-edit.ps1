<#
  Changes an OpenHVX VM's processor count, memory, or (growing only) its boot disk. Everything is checked
  before anything changes, so a refused edit changes nothing; values equal to the current ones are no-ops.

  Hyper-V changes processors and static memory, and grows an IDE disk, only while the VM is off. A VM that
  is not off is then refused (VM_MUST_BE_OFF), unless Restart and it is running: it is shut down through its
  guest (ShutdownTimeoutSeconds, then turned off), changed, and started again. If anything fails once it is
  down, it gets its old processors and memory back and is started again, and the first error is the one
  reported. A disk already grown stays grown: disks only grow.

  Params: VmId, ProcessorCount?, MemoryStartupBytes?, DiskSizeBytes?, Restart, ShutdownTimeoutSeconds
  Answers: Vm (the VM now), Restart ('none', or how the VM went down: 'shutdown' | 'turn-off')
#>
param([Parameter(Mandatory)] $Params)
$ErrorActionPreference = 'Stop'

function Undo-OpenhvxStoppedEdit {
    param([Parameter(Mandatory)] $Vm, [Parameter(Mandatory)] [int64] $ProcessorCount, [Parameter(Mandatory)] [int64] $MemoryStartupBytes)
    # Best effort, step by step: the error that made the edit fail is the one to report, not a cleanup error.
    try { $fresh = Get-VM -Id $Vm.Id } catch { return }
    # Still running: the edit failed before the VM went down, and there is nothing to undo.
    if ([string]$fresh.State -ne 'Off') { return }
    try { if ([int64]$fresh.ProcessorCount -ne $ProcessorCount) { Set-VMProcessor -VM $fresh -Count $ProcessorCount } } catch { }
    try { if ([int64]$fresh.MemoryStartup -ne $MemoryStartupBytes) { Set-VMMemory -VM $fresh -StartupBytes $MemoryStartupBytes } } catch { }
    try { Start-VM -VM $fresh } catch { }
}

$vmId = [string]$Params.VmId
Assert-OpenhvxVmId -VmId $vmId
$vm = Get-OpenhvxRequiredVm -VmId $vmId
Assert-OpenhvxSettled -Vm $vm
$state = [string]$vm.State
$isOff = $state -eq 'Off'
# What would need the VM off, for the refusal below.
$needsOffTo = [System.Collections.Generic.List[string]]::new()

$processorCount = $null
if ($null -ne $Params.ProcessorCount -and [int64]$Params.ProcessorCount -ne [int64]$vm.ProcessorCount) {
    $processorCount = [int64]$Params.ProcessorCount
    Assert-OpenhvxProcessorCount -Count ([int]$processorCount)
    # Hyper-V cannot change the processor count of a VM that is not off, not even a paused or saved one.
    if (-not $isOff) { $needsOffTo.Add('change its processor count') }
}

$memoryBytes = $null
if ($null -ne $Params.MemoryStartupBytes -and [int64]$Params.MemoryStartupBytes -ne [int64]$vm.MemoryStartup) {
    $memoryBytes = [int64]$Params.MemoryStartupBytes
    # Static memory: a running or saved VM has its memory size baked in.
    if (-not $isOff) { $needsOffTo.Add('change its memory') }
}

$diskPath = $null
$diskBytes = $null
if ($null -ne $Params.DiskSizeBytes) {
    $bootDisk = @(Get-OpenhvxHardDiskDrives -Vm $vm)[0]
    if ($null -eq $bootDisk -or [string]::IsNullOrEmpty([string]$bootDisk.Path)) {
        throw (New-OpenhvxError -Code 'INVALID_STATE' -Message "VM '$($vm.Name)' has no virtual hard disk to resize")
    }
    $vhd = Get-VHD -Path $bootDisk.Path
    $wanted = [int64]$Params.DiskSizeBytes
    if ($wanted -lt [int64]$vhd.Size) {
        throw (New-OpenhvxError -Code 'DISK_CANNOT_SHRINK' -Message "VM '$($vm.Name)' has a $([math]::Round($vhd.Size / 1GB, 2)) GiB disk; disks only grow")
    }
    if ($wanted -gt [int64]$vhd.Size) {
        # A disk on SCSI grows while the VM runs; one on IDE (generation 1 boot disk) only while it is off.
        if (-not $isOff -and [string]$bootDisk.ControllerType -eq 'IDE') { $needsOffTo.Add('grow its IDE boot disk') }
        $diskPath = [string]$bootDisk.Path
        $diskBytes = $wanted
    }
}

# Only a running VM is restarted: a paused or saved one holds a memory image that shutting down would discard.
$restart = $needsOffTo.Count -gt 0 -and [bool]$Params.Restart -and $state -eq 'Running'
if ($needsOffTo.Count -gt 0 -and -not $restart) {
    $how = 'turn it off'
    if ($state -eq 'Running') { $how = 'turn it off (or edit with restart)' }
    throw (New-OpenhvxError -Code 'VM_MUST_BE_OFF' -Message "VM '$($vm.Name)' is $($state.ToLowerInvariant()); $how to $($needsOffTo -join ' and ')")
}

$wentDown = 'none'
$previousProcessorCount = [int64]$vm.ProcessorCount
$previousMemoryBytes = [int64]$vm.MemoryStartup
try {
    if ($restart) { $wentDown = Stop-OpenhvxGuest -Vm $vm -TimeoutSeconds ([int]$Params.ShutdownTimeoutSeconds) }
    if ($null -ne $processorCount) { Set-VMProcessor -VM $vm -Count $processorCount }
    if ($null -ne $memoryBytes) { Set-VMMemory -VM $vm -StartupBytes $memoryBytes }
    if ($null -ne $diskBytes) { Resize-VHD -Path $diskPath -SizeBytes $diskBytes }
    if ($restart) { Start-VM -VM $vm }
} catch {
    $failure = $_
    if ($restart) { Undo-OpenhvxStoppedEdit -Vm $vm -ProcessorCount $previousProcessorCount -MemoryStartupBytes $previousMemoryBytes }
    throw $failure
}

return [ordered]@{ Vm = (Get-OpenhvxVmRecord -Vm $vm); Restart = $wentDown }
