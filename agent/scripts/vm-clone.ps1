<#
  Clones a VM that is off into a new OpenHVX VM: copies of all its disks in <datastore>\<TargetVmId> (on
  the datastore that holds the source's boot disk), the same generation, processors, memory, switches
  and firmware settings, a new marker and console pipe. A copied differencing disk keeps reading through
  to the same image. With SeedIsoBase64 the copy gets its own cloud-init seed ISO (new instance-id and
  hostname) in a DVD drive, in its folder as <SeedIsoFileName>; the source's seed is never copied. On any
  failure it removes everything it made.

  Copying the disks rather than Export-VM/Import-VM keeps every path under our own vmId-named folder:
  Export-VM names its folder after the VM, and a tenant's VM name may not be a valid folder name.

  Params: SourceVmId, TargetVmId, TargetName, DatastorePaths, ConsolePipePath, ReserveBytes, Start,
          SeedIsoFileName, SeedIsoBase64?
#>
param([Parameter(Mandatory)] $Params)
$ErrorActionPreference = 'Stop'

$sourceId = [string]$Params.SourceVmId
$targetId = [string]$Params.TargetVmId
Assert-OpenhvxVmId -VmId $sourceId
Assert-OpenhvxVmId -VmId $targetId
Assert-OpenhvxPipePath -PipePath ([string]$Params.ConsolePipePath)
$targetName = [string]$Params.TargetName
$seedIsoBase64 = [string]$Params.SeedIsoBase64

$retried = Find-OpenhvxRetriedVm -VmId $targetId -Name $targetName
if ($null -ne $retried) { return $retried }

$source = Get-OpenhvxRequiredVm -VmId $sourceId
# A running VM's disks would be copied mid-write.
if ([string]$source.State -ne 'Off') {
    throw (New-OpenhvxError -Code 'VM_MUST_BE_OFF' -Message "VM '$($source.Name)' is $($source.State); turn it off to clone it")
}
Assert-OpenhvxNameFree -Name $targetName

$drives = @(Get-OpenhvxHardDiskDrives -Vm $source)
if ($drives.Count -eq 0) {
    throw (New-OpenhvxError -Code 'INVALID_STATE' -Message "VM '$($source.Name)' has no virtual hard disk to clone")
}
$neededBytes = [int64]0
foreach ($drive in $drives) {
    if ([string]::IsNullOrEmpty([string]$drive.Path)) {
        throw (New-OpenhvxError -Code 'INVALID_STATE' -Message "VM '$($source.Name)' uses a pass-through disk, which cannot be copied")
    }
    $neededBytes += [int64](Get-VHD -Path $drive.Path).FileSize
}

$datastorePaths = @($Params.DatastorePaths)
$datastorePath = [string]$datastorePaths[0]
foreach ($candidate in $datastorePaths) {
    $prefix = ([string]$candidate).TrimEnd('\') + '\'
    if (([string]$drives[0].Path).StartsWith($prefix, [System.StringComparison]::OrdinalIgnoreCase)) { $datastorePath = [string]$candidate }
}
$folder = Join-Path -Path $datastorePath -ChildPath $targetId
Remove-OpenhvxLeftovers -VmId $targetId -Folder $folder
Assert-OpenhvxSpace -Path $datastorePath -NeededBytes $neededBytes -ReserveBytes ([int64]$Params.ReserveBytes)

$sourceAdapters = @(Get-VMNetworkAdapter -VM $source)
$vm = $null
try {
    $null = New-Item -ItemType Directory -Path $folder -Force
    $copies = @(for ($index = 0; $index -lt $drives.Count; $index++) {
        $fileName = "$targetId.vhdx"
        if ($index -gt 0) { $fileName = "$targetId-$index.vhdx" }
        $copyPath = Join-Path -Path $folder -ChildPath $fileName
        Copy-Item -LiteralPath ([string]$drives[$index].Path) -Destination $copyPath
        $copyPath
    })

    $firstSwitch = $null
    if ($sourceAdapters.Count -gt 0) { $firstSwitch = [string]$sourceAdapters[0].SwitchName }
    if ([string]::IsNullOrEmpty($firstSwitch)) {
        $vm = New-VM -Name $targetId -Generation ([int16]$source.Generation) -MemoryStartupBytes ([int64]$source.MemoryStartup) -VHDPath $copies[0] -Path $folder
    } else {
        $vm = New-VM -Name $targetId -Generation ([int16]$source.Generation) -MemoryStartupBytes ([int64]$source.MemoryStartup) -VHDPath $copies[0] -Path $folder -SwitchName $firstSwitch
    }
    Set-VM -VM $vm -NewVMName $targetName -Notes "openhvx:$targetId" -AutomaticCheckpointsEnabled $false
    Set-VMProcessor -VM $vm -Count ([int64]$source.ProcessorCount)
    Set-VMMemory -VM $vm -DynamicMemoryEnabled ([bool]$source.DynamicMemoryEnabled) -StartupBytes ([int64]$source.MemoryStartup)
    for ($index = 1; $index -lt $copies.Count; $index++) {
        Add-VMHardDiskDrive -VM $vm -ControllerType ([string]$drives[$index].ControllerType) -Path $copies[$index]
    }
    for ($index = 1; $index -lt $sourceAdapters.Count; $index++) {
        $adapterSwitch = [string]$sourceAdapters[$index].SwitchName
        if ([string]::IsNullOrEmpty($adapterSwitch)) {
            Add-VMNetworkAdapter -VM $vm
        } else {
            Add-VMNetworkAdapter -VM $vm -SwitchName $adapterSwitch
        }
    }
    if ([int]$source.Generation -eq 2) {
        $firmware = Get-VMFirmware -VM $source
        $bootDisk = @(Get-OpenhvxHardDiskDrives -Vm $vm)[0]
        if ([string]$firmware.SecureBoot -eq 'On') {
            Set-VMFirmware -VM $vm -FirstBootDevice $bootDisk -EnableSecureBoot On -SecureBootTemplate ([string]$firmware.SecureBootTemplate)
        } else {
            Set-VMFirmware -VM $vm -FirstBootDevice $bootDisk -EnableSecureBoot Off
        }
    }
    if (-not [string]::IsNullOrEmpty($seedIsoBase64)) {
        Set-OpenhvxSeedIso -Vm $vm -Folder $folder -FileName ([string]$Params.SeedIsoFileName) -Base64 $seedIsoBase64
    }
    Set-VMComPort -VM $vm -Number 1 -Path ([string]$Params.ConsolePipePath)
    if ([bool]$Params.Start) {
        Start-VM -VM $vm
    }
    return (Get-OpenhvxVmRecord -Vm $vm)
} catch {
    $failure = $_
    Undo-OpenhvxCreation -Vm $vm -Folder $folder
    throw $failure
}
