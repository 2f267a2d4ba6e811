<#
  Changes an OpenHVX VM's processor count, memory, or (growing only) its boot disk. Everything is checked
  before anything changes, so a refused edit changes nothing; values equal to the current ones are no-ops.

  Params: VmId, ProcessorCount?, MemoryStartupBytes?, DiskSizeBytes?
#>
param([Parameter(Mandatory)] $Params)
$ErrorActionPreference = 'Stop'

$vmId = [string]$Params.VmId
Assert-OpenhvxVmId -VmId $vmId
$vm = Get-OpenhvxRequiredVm -VmId $vmId
Assert-OpenhvxSettled -Vm $vm
$isOff = [string]$vm.State -eq 'Off'

$processorCount = $null
if ($null -ne $Params.ProcessorCount -and [int64]$Params.ProcessorCount -ne [int64]$vm.ProcessorCount) {
    $processorCount = [int64]$Params.ProcessorCount
    Assert-OpenhvxProcessorCount -Count ([int]$processorCount)
    # Hyper-V cannot change the processor count of a VM that is not off, not even a paused or saved one.
    if (-not $isOff) {
        throw (New-OpenhvxError -Code 'VM_MUST_BE_OFF' -Message "VM '$($vm.Name)' is $($vm.State); turn it off to change its processor count")
    }
}

$memoryBytes = $null
if ($null -ne $Params.MemoryStartupBytes -and [int64]$Params.MemoryStartupBytes -ne [int64]$vm.MemoryStartup) {
    $memoryBytes = [int64]$Params.MemoryStartupBytes
    # Static memory: a running or saved VM has its memory size baked in.
    if (-not $isOff) {
        throw (New-OpenhvxError -Code 'VM_MUST_BE_OFF' -Message "VM '$($vm.Name)' is $($vm.State); turn it off to change its memory")
    }
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
        if (-not $isOff -and [string]$bootDisk.ControllerType -eq 'IDE') {
            throw (New-OpenhvxError -Code 'VM_MUST_BE_OFF' -Message "VM '$($vm.Name)' boots from an IDE disk, which Hyper-V grows only while the VM is off")
        }
        $diskPath = [string]$bootDisk.Path
        $diskBytes = $wanted
    }
}

if ($null -ne $processorCount) { Set-VMProcessor -VM $vm -Count $processorCount }
if ($null -ne $memoryBytes) { Set-VMMemory -VM $vm -StartupBytes $memoryBytes }
if ($null -ne $diskBytes) { Resize-VHD -Path $diskPath -SizeBytes $diskBytes }

return (Get-OpenhvxVmRecord -Vm $vm)
